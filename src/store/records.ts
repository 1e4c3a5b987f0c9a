import { hash } from 'node:crypto';
import { entities, plainCheck, type EntityName, type ModelRecord, type PlainCheck } from '../model/index.js';
import { ValidationError } from '../sdk/errors.js';
import { copyLine } from './copy-text.js';
import type { Sql } from './db.js';
import { tables, type Table } from './schema.js';

export interface UpsertCounts {
  inserted: number;
  updated: number;
  /** Identical to what is stored, or older than it: nothing written. */
  unchanged: number;
}

type Row = Record<string, unknown>;

/** A record as an adapter gives it, before parsing. */
export type Input = Record<string, unknown>;

/** Inputs that claim another account are refused before anything is read or written. */
function checkAccount(entity: EntityName, account: string, inputs: readonly Input[]): void {
  const issues: string[] = [];
  inputs.forEach((input, i) => {
    if (input.accountId !== undefined && input.accountId !== account) {
      issues.push(`#${i}: belongs to account ${String(input.accountId)}, not ${account}`);
    }
  });
  if (issues.length) throw new ValidationError(`${entity}: records of another account, nothing stored`, issues);
}

/**
 * The hash of a record's content as the source gave it, field by field in column order. Taken before
 * parsing, so an unchanged record is recognised without parsing it again.
 */
function contentHash(table: Table, input: Input): string {
  const values: unknown[] = [];
  for (const c of table.columns) values.push(input[c.field] ?? null);
  return hash('sha1', JSON.stringify(values), 'base64url');
}

const plainChecks = new Map<EntityName, PlainCheck>();

/** The model's quick check, without accountId: the store sets it (inputs claiming another were refused). */
function plainOf(entity: EntityName): PlainCheck {
  let check = plainChecks.get(entity);
  if (!check) {
    check = plainCheck(entities[entity].schema, ['accountId']);
    plainChecks.set(entity, check);
  }
  return check;
}

/**
 * Parses inputs with the model; any invalid one fails the call with every issue, by input position.
 * A record that passes the model's quick check is taken as it is (zod would return it unchanged).
 */
function parseRecords<E extends EntityName>(entity: E, account: string, inputs: readonly { index: number; input: Input }[]): Record<string, unknown>[] {
  const schema = entities[entity].schema;
  const plain = plainOf(entity);
  const out: Record<string, unknown>[] = [];
  const issues: string[] = [];
  for (const { index, input } of inputs) {
    if (plain(input)) {
      out.push(input);
      continue;
    }
    const r = schema.safeParse({ ...input, accountId: account });
    if (r.success) out.push(r.data as Record<string, unknown>);
    else for (const issue of r.error.issues) issues.push(`#${index} ${issue.path.join('.') || '(record)'}: ${issue.message}`);
  }
  if (issues.length) throw new ValidationError(`${entity}: ${issues.length} invalid field(s), nothing stored`, issues);
  return out;
}

/** The stored row of a parsed record. */
function toRow(table: Table, record: Record<string, unknown>, hash: string): Row {
  const row: Row = { external_id: record.externalId, content_hash: hash };
  for (const c of table.columns) row[c.name] = record[c.field] ?? null;
  return row;
}

export function fromRow<E extends EntityName>(table: Table, row: Row): ModelRecord<E> {
  const record: Row = { accountId: row.account_id, externalId: row.external_id };
  for (const c of table.columns) {
    const v = row[c.name];
    if (v === null || v === undefined) continue;
    record[c.field] = v instanceof Date ? v.toISOString() : v;
  }
  return record as ModelRecord<E>;
}

const upsertSqlCache = new Map<string, string>();

/**
 * One statement upserts a whole chunk: rows arrive as one jsonb array. A row is written only when its
 * content changed and it is not older than the stored copy; a soft-deleted row comes back only with a
 * newer source time (or when the entity has none).
 */
function upsertSql(table: Table): string {
  const cached = upsertSqlCache.get(table.name);
  if (cached) return cached;
  const cols = table.columns.map((c) => c.name);
  const u = table.updatedAtColumn;
  const guard = u
    ? `(excluded.${u} IS NULL OR t.${u} IS NULL OR excluded.${u} >= t.${u})
   AND CASE WHEN t.deleted_at IS NULL THEN t.content_hash <> excluded.content_hash
            ELSE coalesce(excluded.${u} > t.${u}, true) END`
    : `(t.deleted_at IS NOT NULL OR t.content_hash <> excluded.content_hash)`;
  const sql = `WITH written AS (
INSERT INTO ${table.name} AS t (account_id, external_id, ${cols.join(', ')}, content_hash, synced_at)
SELECT $1, r.external_id, ${cols.map((c) => `r.${c}`).join(', ')}, r.content_hash, now()
FROM json_to_recordset($2::json) AS r(external_id text, ${table.columns.map((c) => `${c.name} ${c.type}`).join(', ')}, content_hash text)
ON CONFLICT (account_id, external_id) DO UPDATE SET
  ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, content_hash = excluded.content_hash, deleted_at = NULL, synced_at = now()
WHERE ${guard}
RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written FROM written`;
  upsertSqlCache.set(table.name, sql);
  return sql;
}

const CHUNK = 2000;

interface Stored {
  external_id: string;
  content_hash: string;
  updated: Date | null;
  deleted: boolean;
}

interface Prepared {
  index: number;
  id: string;
  input: Input;
  hash: string;
}

/**
 * Reads what is stored of a chunk: one primary-key probe per id, whatever the table's size. Plain
 * `external_id = ANY(...)` or a join on the ids lets the planner hash-join against a scan of the whole
 * table when the chunk is more than a small share of it (a first sync of 50,000 to 400,000 rows): 30 ms
 * a chunk instead of 5 and growing with the table. The LIMIT keeps the lateral subquery a probe.
 */
function readStored(tx: Sql, table: Table, account: string, chunk: Prepared[]): Promise<{ rows: Stored[] }> {
  const updated = table.updatedAtColumn ? `t.${table.updatedAtColumn}` : 'NULL::timestamptz';
  return tx.query<Stored>(
    `SELECT s.* FROM unnest($2::text[]) AS i(id) CROSS JOIN LATERAL (
       SELECT t.external_id, t.content_hash, ${updated} AS updated, t.deleted_at IS NOT NULL AS deleted
       FROM ${table.name} t WHERE t.account_id = $1 AND t.external_id = i.id LIMIT 1) s`,
    [account, chunk.map((p) => p.id)],
  );
}

/**
 * Drops the inputs that would not change anything (same content, or older than the stored copy), so a
 * re-sync of unchanged data is neither parsed nor locked row by row. The upsert's own guard still
 * decides under concurrency; this only saves work.
 */
function changedOnly(table: Table, chunk: Prepared[], rows: Stored[]): Prepared[] {
  if (!rows.length) return chunk;
  const uField = table.columns.find((c) => c.name === table.updatedAtColumn)?.field;
  const stored = new Map(rows.map((x) => [x.external_id, x]));
  return chunk.filter((p) => {
    const old = stored.get(p.id);
    if (!old || old.deleted) return true;
    const at = uField ? p.input[uField] : undefined;
    if (old.updated && typeof at === 'string' && Date.parse(at) < old.updated.getTime()) return false;
    return old.content_hash !== p.hash;
  });
}

const UNIQUE_VIOLATION = '23505';

/**
 * Rows none of which is stored go in by COPY, the cheapest way into Postgres. Another writer may store
 * one of them meanwhile: the COPY then fails on the primary key, is undone to its savepoint, and the
 * rows take the upsert path, whose guard decides. Returns false in that case.
 */
async function copyNew(tx: Sql, table: Table, text: string): Promise<boolean> {
  await tx.query('SAVEPOINT svodka_copy');
  try {
    await tx.copyIn(table.name, ['account_id', 'external_id', ...table.columns.map((c) => c.name), 'content_hash'], text);
  } catch (e) {
    if ((e as { code?: unknown }).code !== UNIQUE_VIOLATION) throw e;
    await tx.query('ROLLBACK TO SAVEPOINT svodka_copy');
    return false;
  }
  await tx.query('RELEASE SAVEPOINT svodka_copy');
  return true;
}

interface Ahead {
  records: Record<string, unknown>[];
  copy: string;
}

/** Lets pending I/O callbacks run, so that a chunk's next statement is sent while this thread computes. */
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Parses and upserts inputs in chunks; the caller provides the transaction (all or nothing).
 * Pipelined, one chunk in flight: while Postgres reads and writes one chunk, this thread hashes the
 * next and, when the last chunk was mostly new (a first sync), checks and formats it ahead.
 */
export async function upsertInputs(tx: Sql, entity: EntityName, account: string, inputs: readonly Input[]): Promise<UpsertCounts> {
  const table = tables[entity];
  checkAccount(entity, account, inputs);
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  // One statement cannot touch a row twice: the last copy of an id in a batch wins.
  const last = new Map<unknown, number>();
  inputs.forEach((r, i) => last.set(r.externalId, i));
  counts.unchanged += inputs.length - last.size;
  let mostlyNew = true;
  let tail: Promise<void> = Promise.resolve();

  const write = async (chunk: Prepared[], stored: Stored[], ahead: Ahead | undefined) => {
    const changed = changedOnly(table, chunk, stored);
    counts.unchanged += chunk.length - changed.length;
    mostlyNew = changed.length * 2 > chunk.length;
    if (!changed.length) return;
    if (ahead && !stored.length && (await copyNew(tx, table, ahead.copy))) {
      counts.inserted += chunk.length;
      return;
    }
    const records = ahead && changed.length === chunk.length ? ahead.records : parseRecords(entity, account, changed);
    const rows = records.map((rec, i) => toRow(table, rec, changed[i]!.hash));
    const r = await tx.query<{ inserted: number; written: number }>(upsertSql(table), [account, JSON.stringify(rows)]);
    const { inserted = 0, written = 0 } = r.rows[0] ?? {};
    counts.inserted += inserted;
    counts.updated += written - inserted;
    counts.unchanged += changed.length - written;
  };

  const flush = async (chunk: Prepared[]) => {
    let ahead: Ahead | undefined;
    if (mostlyNew) {
      const records = parseRecords(entity, account, chunk);
      const copy = records.map((rec, i) => copyLine(account, chunk[i]!.id, rec, table.columns, chunk[i]!.hash)).join('');
      ahead = { records, copy };
    }
    // One chunk in flight: the previous one is written (its savepoint released) before this one starts.
    await tail;
    tail = readStored(tx, table, account, chunk).then((r) => write(chunk, r.rows, ahead));
    // Awaited by the next flush or at the end; this only keeps a failure from counting as unhandled meanwhile.
    tail.catch(() => undefined);
  };

  try {
    let chunk: Prepared[] = [];
    for (let i = 0; i < inputs.length; i++) {
      if (i % 256 === 255) await yieldToIo();
      const input = inputs[i]!;
      if (last.get(input.externalId) !== i) continue;
      chunk.push({ index: i, id: String(input.externalId), input, hash: contentHash(table, input) });
      if (chunk.length === CHUNK) {
        await flush(chunk);
        chunk = [];
      }
    }
    if (chunk.length) await flush(chunk);
    await tail;
  } catch (e) {
    // The chunk in flight must be done before the caller rolls back: a statement of it sent after the
    // ROLLBACK would run outside the transaction and stay.
    await tail.catch(() => undefined);
    throw e;
  }
  return counts;
}

export async function markDeleted(tx: Sql, entity: EntityName, account: string, ids: readonly string[]): Promise<number> {
  if (!ids.length) return 0;
  const r = await tx.query(
    `UPDATE ${tables[entity].name} SET deleted_at = now(), synced_at = now()
     WHERE account_id = $1 AND external_id = ANY($2::text[]) AND deleted_at IS NULL`,
    [account, ids],
  );
  return r.rowCount;
}
