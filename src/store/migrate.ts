import { createHash } from 'node:crypto';
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
 * under an advisory lock, so that several processes starting at once migrate exactly once. The entity
 * schema is applied only when it changed (its hash is kept as a pseudo-migration): its ALTER TABLEs take
 * exclusive locks even when there is nothing to add, and a worker starting while a plugin reads for half
 * a minute would otherwise wait for it, and every query after it would wait in turn.
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
    const after = readFileSync(afterSchema, 'utf8');
    const id = `schema-${createHash('sha256').update(schema).update(after).digest('hex').slice(0, 16)}`;
    if (!done.has(id)) {
      await tx.exec(schema);
      await tx.exec(after);
      await tx.query("DELETE FROM schema_migrations WHERE id LIKE 'schema-%'");
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [id]);
    }
    return { applied };
  });
}
