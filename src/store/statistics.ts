import type { Sql } from './db.js';

/**
 * Keeps the planner's statistics in step with bulk inserts. Without them Postgres (and PGlite, which has
 * no autovacuum) plans the (account, external id) look-ups of a first sync as scans of the whole table,
 * and each page gets slower as the table grows. ANALYZE of the key columns (the table's size comes with
 * it) runs inside the writing transaction once the rows inserted since the last one reach max(10,000,
 * the table's size): a handful of times for a million rows. Autovacuum keeps the rest current on a
 * Postgres server.
 */
export class Statistics {
  private readonly pending = new Map<string, number>();
  private readonly size = new Map<string, number>();

  async afterInsert(tx: Sql, table: string, inserted: number): Promise<void> {
    if (!inserted) return;
    const n = (this.pending.get(table) ?? 0) + inserted;
    const known = this.size.get(table) ?? 0;
    if (n < Math.max(10_000, known)) {
      this.pending.set(table, n);
      return;
    }
    await tx.query(`ANALYZE ${table} (account_id, external_id)`);
    this.pending.set(table, 0);
    this.size.set(table, known + n);
  }
}
