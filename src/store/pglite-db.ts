import { mkdirSync } from 'node:fs';
import { PGlite, types } from '@electric-sql/pglite';
import { StoreError } from '../sdk/errors.js';
import type { Db, Sql } from './db.js';

/** Embedded Postgres (WASM) in dataDir, or in memory when none is given. */
export async function openPglite(dataDir?: string): Promise<Db> {
  let db: PGlite;
  try {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    db = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      parsers: { [types.DATE]: (v: string) => v },
    });
    await db.exec("SET TIME ZONE 'UTC'");
  } catch (e) {
    throw new StoreError('db_unreachable', `cannot open the embedded database in ${dataDir ?? 'memory'}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const run = (q: Pick<PGlite, 'query'>): Sql['query'] =>
    async (text, params) => {
      const r = await q.query(text, params);
      // As node-postgres: a statement that returns rows counts them; others count what they changed.
      return { rows: r.rows as never[], rowCount: r.fields.length ? r.rows.length : (r.affectedRows ?? 0) };
    };
  const copyIn = (q: Pick<PGlite, 'query'>) => async (table: string, columns: readonly string[], text: string) => {
    await q.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob([text]) });
  };
  return {
    kind: 'pglite',
    query: run(db),
    copyIn: copyIn(db),
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: run(tx),
          exec: async (script) => {
            await tx.exec(script);
          },
          copyIn: copyIn(tx),
        }),
      ),
    async exec(script) {
      await db.exec(script);
    },
    async close() {
      await db.close();
    },
  };
}
