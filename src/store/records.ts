import { createHash } from 'node:crypto';
import { entities, type EntityName, type ModelRecord } from '../model/index.js';
import { ValidationError } from '../sdk/errors.js';
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
  return createHash('sha1').update(JSON.stringify(values)).digest('base64url');
}

/** Parses inputs with the model; any invalid one fails the call with every issue, by input position. */
function parseRecords<E extends EntityName>(entity: E, account: string, inputs: readonly { index: number; input: Input }[]): ModelRecord<E>[] {
  const schema = entities[entity].schema;
  const out: ModelRecord<E>[] = [];
  const issues: string[] = [];
  for (const { index, input } of inputs) {
    const r = schema.safeParse({ ...input, accountId: account });
    if (r.success) out.push(r.data as ModelRecord<E>);
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

const CHUNK = 5000;

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
 * Drops the inputs that would not change anything (same content, or older than the stored copy) after
 * one indexed read, so a re-sync of unchanged data is neither parsed nor locked row by row.
 * The upsert's own guard still decides under concurrency; this only saves work.
 */
async function changedOnly(tx: Sql, table: Table, account: string, chunk: Prepared[]): Promise<Prepared[]> {
  const u = table.updatedAtColumn;
  const uField = table.columns.find((c) => c.name === u)?.field;
  const r = await tx.query<Stored>(
    `SELECT external_id, content_hash, ${u ?? 'NULL::timestamptz'} AS updated, deleted_at IS NOT NULL AS deleted
     FROM ${table.name} WHERE account_id = $1 AND external_id = ANY($2::text[])`,
    [account, chunk.map((p) => p.id)],
  );
  if (!r.rows.length) return chunk;
  const stored = new Map(r.rows.map((x) => [x.external_id, x]));
  return chunk.filter((p) => {
    const old = stored.get(p.id);
    if (!old || old.deleted) return true;
    const at = uField ? p.input[uField] : undefined;
    if (old.updated && typeof at === 'string' && Date.parse(at) < old.updated.getTime()) return false;
    return old.content_hash !== p.hash;
  });
}

/**
 * Parses and upserts inputs in chunks; the caller provides the transaction (all or nothing).
 * Chunks are pipelined: while Postgres writes one, the next is hashed and, when the last chunk was
 * mostly new (a first sync), parsed ahead, so that both cores work.
 */
export async function upsertInputs(tx: Sql, entity: EntityName, account: string, inputs: readonly Input[]): Promise<UpsertCounts> {
  const table = tables[entity];
  checkAccount(entity, account, inputs);
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  // One statement cannot touch a row twice: the last copy of an id in a batch wins.
  const last = new Map<unknown, number>();
  inputs.forEach((r, i) => last.set(r.externalId, i));
  counts.unchanged += inputs.length - last.size;
  let writing: Promise<void> = Promise.resolve();
  let mostlyNew = true;
  const flush = async (chunk: Prepared[]) => {
    const ahead = mostlyNew ? parseRecords(entity, account, chunk) : undefined;
    await writing;
    const changed = await changedOnly(tx, table, account, chunk);
    counts.unchanged += chunk.length - changed.length;
    mostlyNew = changed.length * 2 > chunk.length;
    if (!changed.length) return;
    const byIndex = ahead && new Map(chunk.map((p, i) => [p.index, ahead[i]!]));
    const records = byIndex ? changed.map((p) => byIndex.get(p.index)!) : parseRecords(entity, account, changed);
    const rows = records.map((rec, i) => toRow(table, rec, changed[i]!.hash));
    writing = tx
      .query<{ inserted: number; written: number }>(upsertSql(table), [account, JSON.stringify(rows)])
      .then((r) => {
        const { inserted = 0, written = 0 } = r.rows[0] ?? {};
        counts.inserted += inserted;
        counts.updated += written - inserted;
        counts.unchanged += changed.length - written;
      });
    // Awaited by the next flush or at the end; this only keeps a failure from counting as unhandled meanwhile.
    writing.catch(() => undefined);
  };
  let chunk: Prepared[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i]!;
    if (last.get(input.externalId) !== i) continue;
    chunk.push({ index: i, id: String(input.externalId), input, hash: contentHash(table, input) });
    if (chunk.length === CHUNK) {
      await flush(chunk);
      chunk = [];
    }
  }
  if (chunk.length) await flush(chunk);
  await writing;
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
