import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { ModelInput } from '../../src/model/index.js';
import { Store, type AccountStore, type UpsertCounts } from '../../src/store/index.js';
import { RssPeak, log, mib, perSec } from './measure.js';

export type UpsertDriver = 'postgres' | 'pglite';

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Records per upsert call, the size of a page an adapter would hand the store. */
const BATCH = 10_000;

export interface Pass extends UpsertCounts {
  ms: number;
  recordsPerSec: number;
  /** Time inside upsert() calls (any of them running), and the rate over it: the store's own speed. */
  storeMs: number;
  storeRecordsPerSec: number;
  /** This process only: for Postgres the server's work is not in it, for PGlite it is. */
  cpuUserMs: number;
  cpuSystemMs: number;
}

export interface UpsertResult {
  driver: UpsertDriver;
  /** Concurrent upsert streams (as several workers syncing at once), each on its own connection. */
  writers: number;
  records: number;
  batch: number;
  insert: Pass;
  reupsert: Pass;
  storedCount: number;
  tableMiB: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  problems: string[];
}

const stages = ['NEW', 'PREPARATION', 'PREPAYMENT_INVOICE', 'EXECUTING', 'FINAL_INVOICE', 'WON', 'LOSE'];
const sources = ['yandex', 'google', 'vk', 'telegram', 'direct'];
const base = Date.parse('2025-01-01T00:00:00Z');

/** The i-th deal; the same i always gives the same record, so the second pass must change nothing. */
export function dealAt(i: number): ModelInput<'deals'> {
  const created = base + i * 37_000;
  return {
    externalId: `D${i}`,
    title: `Сделка ${i}`,
    pipelineId: String(i % 3),
    stageId: stages[i % stages.length] ?? 'NEW',
    amount: `${1000 + (i % 99_991) * 7}.${String(i % 100).padStart(2, '0')}`,
    currency: i % 10 === 0 ? 'USD' : 'RUB',
    responsibleId: String(1 + (i % 50)),
    utmSource: sources[i % sources.length] ?? 'direct',
    createdAt: new Date(created).toISOString(),
    updatedAt: new Date(created + 86_400_000 + (i % 1000) * 1000).toISOString(),
  };
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function pass(acc: AccountStore, n: number, writers: number, rss: RssPeak, label: string): Promise<Pass> {
  const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let reported = 0;
  let done = 0;
  // Time during which at least one upsert() call is running: the store's time, without the time this
  // benchmark spends making up the records (about 2 µs each, as an adapter's mapping would).
  let inStore = 0;
  let active = 0;
  let since = 0;
  // Writer w takes batches w, w + writers, ...: disjoint ids, each batch its own transaction.
  const writer = async (w: number) => {
    for (let i = w * BATCH; i < n; i += writers * BATCH) {
      // Generated per batch so that the 1M records never sit in memory together.
      const batch = Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => dealAt(i + k));
      if (active++ === 0) since = performance.now();
      const c = await acc.upsert('deals', batch);
      if (--active === 0) inStore += performance.now() - since;
      counts.inserted += c.inserted;
      counts.updated += c.updated;
      counts.unchanged += c.unchanged;
      rss.sample();
      done += batch.length;
      if (done - reported >= n / 10 || done === n) {
        reported = done;
        log(`  ${label} ${done}/${n}  ${perSec(done, performance.now() - t0)} rec/s  rss ${mib(process.memoryUsage().rss)} MiB`);
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  const ms = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return {
    ...counts,
    ms: Math.round(ms),
    recordsPerSec: perSec(n, ms),
    storeMs: Math.round(inStore),
    storeRecordsPerSec: perSec(n, inStore),
    cpuUserMs: Math.round(used.user / 1000),
    cpuSystemMs: Math.round(used.system / 1000),
  };
}

export async function upsertBench(driver: UpsertDriver, n: number, writers = 1): Promise<UpsertResult> {
  const rss = new RssPeak();
  const dbName = `svodka_bench_${randomBytes(5).toString('hex')}`;
  let databaseUrl: string | undefined;
  if (driver === 'postgres') {
    await admin((c) => c.query(`CREATE DATABASE ${dbName}`));
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  try {
    const store = await Store.open(databaseUrl ? { databaseUrl } : { memory: true });
    try {
      await store.accounts.save({ id: 'bench', kind: 'demo', name: 'Bench' });
      const acc = store.forAccount('bench');
      const rssBefore = process.memoryUsage().rss;
      const insert = await pass(acc, n, writers, rss, `${driver} insert`);
      const reupsert = await pass(acc, n, writers, rss, `${driver} re-upsert`);
      const storedCount = await acc.count('deals');
      const size = await store.db.query<{ b: number | string }>("SELECT pg_total_relation_size('deals') AS b");

      const problems: string[] = [];
      if (insert.inserted !== n || insert.updated || insert.unchanged) {
        problems.push(`first pass: expected ${n} inserted, got ${JSON.stringify(pick(insert))}`);
      }
      if (reupsert.unchanged !== n || reupsert.inserted || reupsert.updated) {
        problems.push(`second pass: expected ${n} unchanged, got ${JSON.stringify(pick(reupsert))}`);
      }
      if (storedCount !== n) problems.push(`expected ${n} stored deals, count() says ${storedCount}`);
      // The targets, on the store's own time: 50,000 records/s inserted, 100,000 re-upserted.
      if (insert.storeRecordsPerSec < 50_000) problems.push(`target missed: insert ${insert.storeRecordsPerSec} rec/s (target 50,000)`);
      if (reupsert.storeRecordsPerSec < 100_000) {
        problems.push(`target missed: re-upsert ${reupsert.storeRecordsPerSec} rec/s (target 100,000)`);
      }
      return {
        driver,
        writers,
        records: n,
        batch: BATCH,
        insert,
        reupsert,
        storedCount,
        tableMiB: mib(Number(size.rows[0]?.b ?? 0)),
        rssBeforeMiB: mib(rssBefore),
        peakRssMiB: mib(rss.stop()),
        problems,
      };
    } finally {
      await store.close();
    }
  } finally {
    rss.stop();
    if (databaseUrl) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`));
  }
}

const pick = ({ inserted, updated, unchanged }: UpsertCounts): UpsertCounts => ({ inserted, updated, unchanged });
