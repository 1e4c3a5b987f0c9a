import { readdirSync, readFileSync } from 'node:fs';
import type { Db } from './db.js';

const dir = new URL('./migrations/', import.meta.url);
const generated = new URL('./schema.generated.sql', import.meta.url);
const afterSchema = new URL('./after-schema.sql', import.meta.url);

export interface Migration {
  id: string;
  sql: string;
}

export function loadMigrations(): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ id: f.replace(/\.sql$/, ''), sql: readFileSync(new URL(f, dir), 'utf8') }));
}

/**
 * Applies the numbered migrations not yet applied, then the generated entity schema, in one transaction
 * under an advisory lock, so that several processes starting at once migrate exactly once.
 */
export async function migrate(db: Db): Promise<{ applied: string[] }> {
  const migrations = loadMigrations();
  const schema = readFileSync(generated, 'utf8');
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('svodka.migrate'))");
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set((await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [m.id]);
      applied.push(m.id);
    }
    await tx.exec(schema);
    await tx.exec(readFileSync(afterSchema, 'utf8'));
    return { applied };
  });
}
