import type { EntityName, ModelRecord } from '../model/index.js';
import { StoreError } from '../sdk/errors.js';
import type { Db } from './db.js';
import { fromRow } from './records.js';
import { tables } from './schema.js';

export interface ScopedSql {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Live records in id order, a page at a time, as AccountStore.list (inside the same transaction). */
  list<E extends EntityName>(entity: E, options?: { after?: string; limit?: number }): Promise<ModelRecord<E>[]>;
}

/** Thrown to end the transaction with a rollback once the reading is done, carrying its result. */
class Done<T> {
  constructor(readonly value: T) {}
}

const accountPattern = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Named tables outside the scope: a schema-qualified name, or a second statement after a semicolon. */
const escapes = /\b(public|pg_temp\w*|pg_catalog|information_schema)\s*\./i;

/**
 * Reads one account's model with SQL. Inside one transaction a temporary view named after each model
 * table shadows the table (pg_temp comes first in the search path) and holds only this account's live
 * rows; tables the reader did not declare are empty. The transaction is made read-only and always rolled
 * back, so the views go with it and nothing can be written, whatever the SQL says.
 */
export async function readScoped<T>(
  db: Db,
  account: string,
  reads: readonly EntityName[],
  fn: (sql: ScopedSql) => Promise<T>,
): Promise<T> {
  if (!accountPattern.test(account)) throw new StoreError('account_invalid', `not an account id: ${JSON.stringify(account)}`);
  const declared = new Set<string>(reads);
  const undeclared = Object.values(tables)
    .filter((t) => !declared.has(t.entity))
    .map((t) => ({ entity: t.entity, named: new RegExp(`\\b${t.name}\\b`, 'i') }));
  const views = Object.values(tables).map(
    (t) =>
      `CREATE TEMP VIEW ${t.name} AS SELECT * FROM public.${t.name} WHERE ${
        declared.has(t.entity) ? `account_id = '${account}' AND deleted_at IS NULL` : 'false'
      };`,
  );
  try {
    await db.transaction(async (tx) => {
      await tx.exec(views.join('\n'));
      // Plugins sort and hash millions of rows; the default 4 MB sends them to disk.
      await tx.query("SET LOCAL work_mem = '64MB'");
      // JIT compiles these plans for about a second each, more than it saves on them.
      await tx.query('SET LOCAL jit = off');
      await tx.query('SET LOCAL transaction_read_only = on');
      // One connection: statements a plugin starts together run one after another.
      let last: Promise<unknown> = Promise.resolve();
      const serial = <R>(run: () => Promise<R>): Promise<R> => {
        const next = last.then(run, run);
        last = next.catch(() => undefined);
        return next;
      };
      const value = await fn({
        async query<R>(text: string, params: unknown[] = []) {
          if (escapes.test(text) || /;\s*\S/.test(text)) {
            throw new StoreError('query_refused', 'a plugin query is one statement over the model tables, named without a schema');
          }
          const named = undeclared.find((t) => t.named.test(text));
          if (named) throw new StoreError('query_refused', `the query reads ${named.entity} without declaring it in reads`);
          return (await serial(() => tx.query<R>(text, params))).rows;
        },
        async list(entity, options = {}) {
          if (!declared.has(entity)) throw new StoreError('query_refused', `the plugin reads ${entity} without declaring it in reads`);
          const t = tables[entity];
          const r = await serial(() =>
            tx.query(`SELECT * FROM ${t.name} WHERE external_id > $1 ORDER BY external_id LIMIT $2`, [options.after ?? '', options.limit ?? 1000]),
          );
          return r.rows.map((row) => fromRow(t, row));
        },
      });
      throw new Done(value);
    });
  } catch (e) {
    if (e instanceof Done) return e.value as T;
    throw e;
  }
  throw new StoreError('query_refused', 'the scoped read ended without a result');
}
