import type { Store } from '../../store/index.js';
import type { Viewer } from '../viewer.js';

export interface SyncPage {
  status: string;
  statusReason: string | null;
  entities: { adapter: string; entity: string; updatedAt: string }[];
  outbox: { pending: number; failed: number; done: number };
  errors: { at: string; kind: string; error: string }[];
  inboxFailed: { at: string; source: string; error: string }[];
}

const iso = (v: Date | string) => new Date(v).toISOString();

/** How fresh each entity is and what went wrong lately: admins only. */
export async function syncPage(store: Store, v: Viewer): Promise<SyncPage> {
  const db = store.db;
  const [acc, cursors, outbox, errors, inbox] = await Promise.all([
    db.query<{ status: string; status_reason: string | null }>('SELECT status, status_reason FROM accounts WHERE id = $1', [v.account]),
    db.query<{ adapter: string; entity: string; updated_at: Date }>(
      'SELECT adapter, entity, updated_at FROM sync_cursors WHERE account_id = $1 ORDER BY adapter, entity',
      [v.account],
    ),
    db.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM outbox WHERE account_id = $1 GROUP BY status', [v.account]),
    db.query<{ updated_at: Date; kind: string; last_error: string }>(
      `SELECT updated_at, kind, last_error FROM outbox WHERE account_id = $1 AND last_error IS NOT NULL ORDER BY updated_at DESC LIMIT 20`,
      [v.account],
    ),
    db.query<{ received_at: Date; source: string; error: string }>(
      `SELECT received_at, source, error FROM inbox WHERE account_id = $1 AND status = 'failed' ORDER BY received_at DESC LIMIT 20`,
      [v.account],
    ),
  ]);
  const count = (s: string) => Number(outbox.rows.find((r) => r.status === s)?.n ?? 0);
  return {
    status: acc.rows[0]?.status ?? 'unknown',
    statusReason: acc.rows[0]?.status_reason ?? null,
    entities: cursors.rows.map((r) => ({ adapter: r.adapter, entity: r.entity, updatedAt: iso(r.updated_at) })),
    outbox: { pending: count('pending') + count('sending'), failed: count('failed'), done: count('done') },
    errors: errors.rows.map((r) => ({ at: iso(r.updated_at), kind: r.kind, error: r.last_error })),
    inboxFailed: inbox.rows.map((r) => ({ at: iso(r.received_at), source: r.source, error: r.error ?? '' })),
  };
}
