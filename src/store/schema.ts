import { z } from 'zod';
import { entities, sqlTypes, type EntityDef, type EntityName } from '../model/index.js';

export interface Column {
  /** The model's field name (camelCase). */
  field: string;
  /** The column name (snake_case). */
  name: string;
  type: string;
  nullable: boolean;
}

export interface Table {
  entity: EntityName;
  name: string;
  /** Model fields other than accountId and externalId, in the model's order. */
  columns: Column[];
  updatedAtColumn?: string;
  indexes: string[];
}

export const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function columnType(field: string, schema: z.ZodType): { type: string; nullable: boolean } {
  let s: z.ZodType = schema;
  let nullable = false;
  for (;;) {
    const meta = sqlTypes.get(s);
    if (meta) return { type: meta.sql, nullable };
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      nullable = true;
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodBoolean) {
      return { type: 'boolean', nullable };
    } else if (s instanceof z.ZodEnum || s instanceof z.ZodString) {
      return { type: 'text', nullable };
    } else if (s instanceof z.ZodArray || s instanceof z.ZodObject || s instanceof z.ZodRecord) {
      return { type: 'jsonb', nullable };
    } else {
      throw new Error(`schema: field ${field} has a type the generator does not map to SQL`);
    }
  }
}

export function tableOf(def: EntityDef, entity: EntityName): Table {
  const columns: Column[] = [];
  for (const [field, schema] of Object.entries(def.schema.shape)) {
    if (field === 'accountId' || field === 'externalId') continue;
    columns.push({ field, name: snake(field), ...columnType(field, schema as z.ZodType) });
  }
  const table: Table = { entity, name: def.name, columns, indexes: def.indexes.map(snake) };
  if (def.updatedAt) table.updatedAtColumn = snake(def.updatedAt);
  return table;
}

export const tables: Record<EntityName, Table> = Object.fromEntries(
  (Object.entries(entities) as [EntityName, EntityDef][]).map(([name, def]) => [name, tableOf(def, name)]),
) as Record<EntityName, Table>;

/** Columns every entity table has besides the model's fields. */
const systemColumns = [
  'content_hash text NOT NULL',
  'deleted_at timestamptz',
  'synced_at timestamptz NOT NULL DEFAULT now()',
];

function tableSql(t: Table): string {
  const cols = t.columns.map((c) => `  ${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`);
  const lines = [
    `CREATE TABLE IF NOT EXISTS ${t.name} (`,
    // No foreign key to accounts: its per-row check halves bulk upsert speed. Store.deleteAccount clears these.
    '  account_id text NOT NULL,',
    '  external_id text NOT NULL,',
    ...[...cols, ...systemColumns.map((c) => `  ${c}`)].map((l) => `${l},`),
    '  PRIMARY KEY (account_id, external_id)',
    ');',
    // A field added to the model reaches databases created before it (nullable: old rows lack it).
    ...t.columns.map((c) => `ALTER TABLE ${t.name} ADD COLUMN IF NOT EXISTS ${c.name} ${c.type};`),
    ...t.indexes.map((i) => `CREATE INDEX IF NOT EXISTS ${t.name}_${i} ON ${t.name} (account_id, ${i});`),
  ];
  return lines.join('\n');
}

/** The entity tables, derived from the common model. Idempotent: applied after the migrations at every start. */
export function generateSchemaSql(): string {
  const header = [
    '-- Generated from src/model by `npm run generate`. Do not edit: change the model and regenerate.',
    '-- `npm run check` fails when this file is stale.',
  ];
  return [...header, '', ...Object.values(tables).map(tableSql).join('\n\n').split('\n'), ''].join('\n');
}
