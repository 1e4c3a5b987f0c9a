import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { StoreError } from '../sdk/errors.js';
import type { Db, Sql } from './db.js';

const INT8 = 20;
const DATE = 1082;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    // Counts as numbers (ours stay far below 2^53); days as 'YYYY-MM-DD', never a local-time Date.
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, types, max: 10, options: '-c TimeZone=UTC' });
  // A dropped idle connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new StoreError('db_unreachable', `cannot connect to Postgres at ${redactUrl(url)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const run = (client: pg.Pool | pg.PoolClient): Sql['query'] =>
    async (text, params) => {
      const r = await client.query(text, params as unknown[]);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    };
  const copyIn = async (client: pg.PoolClient, table: string, columns: readonly string[], text: string) => {
    await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  };
  return {
    kind: 'postgres',
    query: run(pool),
    async copyIn(table, columns, text) {
      const client = await pool.connect();
      try {
        await copyIn(client, table, columns, text);
      } finally {
        client.release();
      }
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: run(client),
          exec: async (script) => {
            await client.query(script);
          },
          copyIn: (table, columns, text) => copyIn(client, table, columns, text),
        });
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(script) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}

/** postgres://user:secret@host/db -> postgres://user:***@host/db */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
