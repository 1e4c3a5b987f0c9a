import type { Sql } from './db.js';

/**
 * Keeps the planner's statistics in step with bulk inserts. Without them Postgres (and PGlite, which has
 * no autovacuum) plans the (account, external id) look-ups of a first sync as scans of the whole table,
 * and each page gets slower as the table grows. ANALYZE runs inside the writing transaction once the rows
 * inserted since the last one reach max(10,000, 20% of the table).
 */
export class Statistics {
  private readonly pending = new Map<string, number>();
  private readonly size = new Map<string, number>();

  async afterInsert(tx: Sql, table: string, inserted: number): Promise<void> {
    if (!inserted) return;
    const n = (this.pending.get(table) ?? 0) + inserted;
    const known = this.size.get(table) ?? 0;
    if (n < Math.max(10_000, known * 0.2)) {
      this.pending.set(table, n);
      return;
    }
    await tx.query(`ANALYZE ${table}`);
    this.pending.set(table, 0);
    this.size.set(table, known + n);
  }
}
