import type { Db } from './db.js';

export interface Finding {
  key: string;
  kind: string;
  subjectId: string;
  details: Record<string, unknown>;
}

/** One account's findings of one source: a run replaces what holds now; what no longer holds is resolved. */
export class Findings {
  constructor(
    private readonly db: Db,
    private readonly account: string,
  ) {}

  /** Stores this run's findings; returns the keys that are new (never seen, or seen again after resolving). */
  async replace(source: string, found: readonly Finding[]): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const before = await tx.query<{ key: string }>(
        'SELECT key FROM findings WHERE account_id = $1 AND source = $2 AND resolved_at IS NULL',
        [this.account, source],
      );
      const open = new Set(before.rows.map((r) => r.key));
      const fresh: string[] = [];
      for (const f of found) {
        if (!open.has(f.key)) fresh.push(f.key);
        await tx.query(
          `INSERT INTO findings (account_id, source, key, kind, subject_id, details) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (account_id, source, key) DO UPDATE SET details = excluded.details, last_seen = now(), resolved_at = NULL`,
          [this.account, source, f.key, f.kind, f.subjectId, JSON.stringify(f.details)],
        );
      }
      await tx.query(
        `UPDATE findings SET resolved_at = now() WHERE account_id = $1 AND source = $2 AND resolved_at IS NULL AND NOT (key = ANY($3::text[]))`,
        [this.account, source, found.map((f) => f.key)],
      );
      return fresh;
    });
  }

  async open(source: string): Promise<(Finding & { firstSeen: string })[]> {
    const r = await this.db.query<{ key: string; kind: string; subject_id: string; details: Record<string, unknown>; first_seen: string | Date }>(
      'SELECT * FROM findings WHERE account_id = $1 AND source = $2 AND resolved_at IS NULL ORDER BY first_seen, key',
      [this.account, source],
    );
    return r.rows.map((x) => ({ key: x.key, kind: x.kind, subjectId: x.subject_id, details: x.details, firstSeen: new Date(x.first_seen).toISOString() }));
  }
}
