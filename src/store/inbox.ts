import type { Sql } from './db.js';

export interface InboxItem {
  id: number;
  source: string;
  dedupeKey: string;
  payload: unknown;
  status: 'received' | 'processed' | 'failed';
}

type Row = { id: number | string; source: string; dedupe_key: string; payload: unknown; status: InboxItem['status'] };

/** Webhooks of one account as received. The same (source, dedupe key) is stored once. */
export class Inbox {
  constructor(
    private readonly sql: Sql,
    private readonly account: string,
  ) {}

  async receive(source: string, dedupeKey: string, payload: unknown): Promise<{ id: number; duplicate: boolean }> {
    const r = await this.sql.query<{ id: number | string }>(
      `INSERT INTO inbox (account_id, source, dedupe_key, payload) VALUES ($1, $2, $3, $4)
       ON CONFLICT (account_id, source, dedupe_key) DO NOTHING RETURNING id`,
      [this.account, source, dedupeKey, JSON.stringify(payload)],
    );
    const created = r.rows[0];
    if (created) return { id: Number(created.id), duplicate: false };
    const existing = await this.sql.query<{ id: number | string }>(
      'SELECT id FROM inbox WHERE account_id = $1 AND source = $2 AND dedupe_key = $3',
      [this.account, source, dedupeKey],
    );
    return { id: Number(existing.rows[0]?.id), duplicate: true };
  }

  async get(id: number): Promise<InboxItem | undefined> {
    const r = await this.sql.query<Row>('SELECT * FROM inbox WHERE account_id = $1 AND id = $2', [this.account, id]);
    const row = r.rows[0];
    return row && { id: Number(row.id), source: row.source, dedupeKey: row.dedupe_key, payload: row.payload, status: row.status };
  }

  /** Received and not yet processed, oldest first. */
  async pending(source: string, limit = 500): Promise<InboxItem[]> {
    const r = await this.sql.query<Row>(
      `SELECT id, source, dedupe_key, payload, status FROM inbox
       WHERE account_id = $1 AND source = $2 AND status = 'received' ORDER BY id LIMIT $3`,
      [this.account, source, limit],
    );
    return r.rows.map((row) => ({ id: Number(row.id), source: row.source, dedupeKey: row.dedupe_key, payload: row.payload, status: row.status }));
  }

  async processedAll(ids: readonly number[]): Promise<void> {
    if (!ids.length) return;
    await this.sql.query(
      `UPDATE inbox SET status = 'processed', error = NULL, processed_at = now() WHERE account_id = $1 AND id = ANY($2::bigint[])`,
      [this.account, ids],
    );
  }

  async processed(id: number): Promise<void> {
    await this.sql.query(
      `UPDATE inbox SET status = 'processed', error = NULL, processed_at = now() WHERE account_id = $1 AND id = $2`,
      [this.account, id],
    );
  }

  async failed(id: number, error: string): Promise<void> {
    await this.sql.query(
      `UPDATE inbox SET status = 'failed', error = $3, processed_at = now() WHERE account_id = $1 AND id = $2`,
      [this.account, id, error.slice(0, 2000)],
    );
  }
}

export interface Received {
  account: string;
  source: string;
  dedupeKey: string;
  payload: unknown;
}

/**
 * Stores webhooks of several accounts in one statement (each row keeps its own account): one commit for a
 * burst instead of one per event. Returns, per row, whether it was already there.
 */
export async function receiveMany(sql: Sql, rows: readonly Received[]): Promise<boolean[]> {
  const key = (r: Received) => `${r.account}\u0000${r.source}\u0000${r.dedupeKey}`;
  const first = new Map<string, number>();
  rows.forEach((r, i) => {
    if (!first.has(key(r))) first.set(key(r), i);
  });
  const unique = [...first.values()].map((i) => rows[i]!);
  const r = await sql.query<{ account_id: string; source: string; dedupe_key: string }>(
    `INSERT INTO inbox (account_id, source, dedupe_key, payload)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
     ON CONFLICT (account_id, source, dedupe_key) DO NOTHING RETURNING account_id, source, dedupe_key`,
    [unique.map((x) => x.account), unique.map((x) => x.source), unique.map((x) => x.dedupeKey), unique.map((x) => JSON.stringify(x.payload))],
  );
  const stored = new Set(r.rows.map((x) => `${x.account_id}\u0000${x.source}\u0000${x.dedupe_key}`));
  return rows.map((x, i) => !(first.get(key(x)) === i && stored.has(key(x))));
}
