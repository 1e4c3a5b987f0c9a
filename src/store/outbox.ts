import { writeIntent as intentSchema, type WriteIntent as Intent } from '../sdk/intent.js';
import type { Sql } from './db.js';

export type { Intent };

export interface OutboxItem extends Intent {
  id: number;
  status: 'pending' | 'sending' | 'done' | 'failed';
  attempts: number;
  lastError: string | null;
}

type Row = {
  id: number | string;
  idempotency_key: string;
  adapter: string;
  kind: string;
  payload: Record<string, unknown>;
  status: OutboxItem['status'];
  attempts: number;
  last_error: string | null;
};

const item = (r: Row): OutboxItem => ({
  id: Number(r.id),
  key: r.idempotency_key,
  adapter: r.adapter,
  kind: r.kind,
  payload: r.payload,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
});

/** Write-back intents of one account. A claimed item left 'sending' by a dead worker is claimed again. */
export class Outbox {
  constructor(
    private readonly sql: Sql,
    private readonly account: string,
  ) {}

  /** Returns how many were new; the rest had been added before (by key). */
  async add(intents: readonly Intent[]): Promise<{ added: number; existing: number }> {
    if (!intents.length) return { added: 0, existing: 0 };
    const parsed = intents.map((i) => intentSchema.parse(i));
    const r = await this.sql.query(
      `INSERT INTO outbox (account_id, idempotency_key, adapter, kind, payload)
       SELECT $1, i.key, i.adapter, i.kind, i.payload FROM jsonb_to_recordset($2::jsonb)
         AS i(key text, adapter text, kind text, payload jsonb)
       ON CONFLICT (account_id, idempotency_key) DO NOTHING RETURNING id`,
      [this.account, JSON.stringify(parsed)],
    );
    return { added: r.rowCount, existing: parsed.length - r.rowCount };
  }

  async claim(limit: number, staleAfterSeconds = 600): Promise<OutboxItem[]> {
    const r = await this.sql.query<Row>(
      `UPDATE outbox SET status = 'sending', attempts = attempts + 1, updated_at = now()
       WHERE id IN (
         SELECT id FROM outbox WHERE account_id = $1
           AND (status = 'pending' OR (status = 'sending' AND updated_at < now() - make_interval(secs => $3)))
         ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [this.account, limit, staleAfterSeconds],
    );
    return r.rows.map(item).sort((a, b) => a.id - b.id);
  }

  async done(id: number): Promise<void> {
    await this.sql.query(
      `UPDATE outbox SET status = 'done', last_error = NULL, updated_at = now() WHERE account_id = $1 AND id = $2`,
      [this.account, id],
    );
  }

  /** A retryable failure goes back to pending; any other ends the intent as failed with its reason. */
  async fail(id: number, error: string, retryable: boolean): Promise<void> {
    await this.sql.query(
      `UPDATE outbox SET status = $3, last_error = $4, updated_at = now() WHERE account_id = $1 AND id = $2`,
      [this.account, id, retryable ? 'pending' : 'failed', error.slice(0, 2000)],
    );
  }

  async list(status?: OutboxItem['status'], limit = 100): Promise<OutboxItem[]> {
    const r = await this.sql.query<Row>(
      `SELECT * FROM outbox WHERE account_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY id LIMIT $3`,
      [this.account, status ?? null, limit],
    );
    return r.rows.map(item);
  }
}
