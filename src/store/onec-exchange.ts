import { randomBytes } from 'node:crypto';
import type { Db } from './db.js';

export type ImportStatus = 'queued' | 'running' | 'success' | 'failure';

export interface ImportState {
  status: ImportStatus;
  message: string | null;
  summary: unknown;
}

/** One account's 1C exchange sessions, uploaded chunks and import states. */
export class OnecExchange {
  constructor(
    private readonly db: Db,
    private readonly account: string,
  ) {}

  /** A new session (checkauth); its id is the cookie 1C sends back with every later request. */
  async open(ttlSeconds = 3600): Promise<string> {
    const id = randomBytes(24).toString('hex');
    await this.db.query(
      `INSERT INTO onec_sessions (account_id, id, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [this.account, id, ttlSeconds],
    );
    // Old sessions and their uploads are not kept.
    await this.db.query(`DELETE FROM onec_sessions WHERE account_id = $1 AND expires_at < now() - interval '1 day'`, [this.account]);
    return id;
  }

  /** True for an open session that has not expired: a replayed or stale cookie is refused. */
  async valid(id: string): Promise<boolean> {
    const r = await this.db.query(
      `SELECT 1 FROM onec_sessions WHERE account_id = $1 AND id = $2 AND status = 'open' AND expires_at > now()`,
      [this.account, id],
    );
    return r.rows.length > 0;
  }

  async close(id: string): Promise<void> {
    await this.db.query(`UPDATE onec_sessions SET status = 'closed' WHERE account_id = $1 AND id = $2`, [this.account, id]);
  }

  /** init: what an earlier upload of this session left is wiped. */
  async reset(session: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query('DELETE FROM onec_uploads WHERE account_id = $1 AND session_id = $2', [this.account, session]);
      await tx.query('DELETE FROM onec_imports WHERE account_id = $1 AND session_id = $2', [this.account, session]);
    });
  }

  /** Appends one chunk (a POST body) to a file; chunks are numbered in arrival order. */
  async append(session: string, file: string, data: Buffer): Promise<void> {
    await this.db.query(
      `INSERT INTO onec_uploads (account_id, session_id, file_name, chunk, data)
       SELECT $1, $2, $3, coalesce(max(chunk) + 1, 0), $4 FROM onec_uploads
       WHERE account_id = $1 AND session_id = $2 AND file_name = $3`,
      [this.account, session, file, data],
    );
  }

  async files(session: string): Promise<{ name: string; bytes: number }[]> {
    const r = await this.db.query<{ file_name: string; bytes: string | number }>(
      `SELECT file_name, sum(octet_length(data)) AS bytes FROM onec_uploads
       WHERE account_id = $1 AND session_id = $2 GROUP BY file_name ORDER BY file_name`,
      [this.account, session],
    );
    return r.rows.map((x) => ({ name: x.file_name, bytes: Number(x.bytes) }));
  }

  /** The file's chunks in order, one at a time (a 400 MB upload is never held whole). */
  async *read(session: string, file: string): AsyncIterable<Buffer> {
    for (let chunk = 0; ; chunk++) {
      const r = await this.db.query<{ data: Uint8Array }>(
        'SELECT data FROM onec_uploads WHERE account_id = $1 AND session_id = $2 AND file_name = $3 AND chunk = $4',
        [this.account, session, file, chunk],
      );
      const row = r.rows[0];
      if (!row) return;
      yield Buffer.from(row.data);
    }
  }

  /** Starts tracking an import; false when one for this file is already known (1C polls with the same request). */
  async track(session: string, file: string): Promise<boolean> {
    const r = await this.db.query(
      `INSERT INTO onec_imports (account_id, session_id, file_name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [this.account, session, file],
    );
    return r.rows.length > 0;
  }

  async state(session: string, file: string): Promise<ImportState | undefined> {
    const r = await this.db.query<{ status: ImportStatus; message: string | null; summary: unknown }>(
      'SELECT status, message, summary FROM onec_imports WHERE account_id = $1 AND session_id = $2 AND file_name = $3',
      [this.account, session, file],
    );
    return r.rows[0];
  }

  async setState(session: string, file: string, status: ImportStatus, message: string | null = null, summary: unknown = null): Promise<void> {
    await this.db.query(
      `UPDATE onec_imports SET status = $4, message = $5, summary = $6, updated_at = now()
       WHERE account_id = $1 AND session_id = $2 AND file_name = $3`,
      [this.account, session, file, status, message, summary === null ? null : JSON.stringify(summary)],
    );
  }
}
