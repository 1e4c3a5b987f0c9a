import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { cpuTicks, envInt, log, stealPct } from './measure.js';
import { queueBench, type QueueResult } from './queue.js';
import { upsertBench, type UpsertResult } from './upsert.js';

type Result = UpsertResult | QueueResult;

interface Saved {
  name: string;
  date: string;
  elapsedMs: number;
  /** The commit measured; "-dirty" when src/ had uncommitted changes. */
  commit: string;
  /** CPU time the hypervisor took for other guests during the run, in % of the machine: high means noisy figures. */
  stealPct?: number;
  reproduce: string;
  machine: { node: string; platform: string; cpus: number; cpuModel: string; totalMemMiB: number };
  result: Result;
}

const records = envInt('BENCH_RECORDS', 1_000_000);
const jobs = envInt('BENCH_JOBS', 10_000);

const benches: Record<string, () => Promise<Result>> = {
  'upsert-postgres': () => upsertBench('postgres', records),
  'upsert-pglite': () => upsertBench('pglite', records),
  'upsert-postgres-2-writers': () => upsertBench('postgres', records, 2),
  'queue-bullmq': () => queueBench('bullmq', jobs),
  'queue-memory': () => queueBench('memory', jobs),
};

const here = fileURLToPath(import.meta.url);
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

/** Each benchmark runs in a process of its own, so that its peak RSS is not the previous one's heap. */
function runChild(name: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = fork(here, ['--child', name], { stdio: 'inherit' });
    let result: Result | undefined;
    child.on('message', (m) => (result = m as Result));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${name} exited with code ${code} and no result`))));
  });
}

function reproduce(name: string): string {
  const env = name.startsWith('upsert') ? `BENCH_RECORDS=${records} ` : `BENCH_JOBS=${jobs} `;
  return `${env}npm run bench -- ${name}`;
}

function commit(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? '-dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const lat = (l: { p50Ms: number; p99Ms: number; maxMs: number }): string => `${l.p50Ms} / ${l.p99Ms} / ${l.maxMs}`;
const day = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
const steal = (pct: number | undefined): string => (pct === undefined ? '' : `${pct}%`);
const status = (r: Result): string => (r.problems.length ? `FAILED: ${r.problems.join('; ')}` : 'ok');

function describe(r: Result): string {
  if ('records' in r) {
    return `${fmt(r.records)} records: insert ${fmt(r.insert.recordsPerSec)} rec/s (${r.insert.ms} ms), re-upsert ${fmt(r.reupsert.recordsPerSec)} rec/s (${r.reupsert.ms} ms), table ${r.tableMiB} MiB, peak RSS ${r.peakRssMiB} MiB`;
  }
  return `${fmt(r.jobs)} jobs: enqueue ${fmt(r.enqueue.jobsPerSec)}/s, drain ${fmt(r.drain.jobsPerSec)}/s, live ${fmt(r.live.jobsPerSec)}/s, live latency p50/p99/max ${lat(r.live.latency)} ms, idle latency ${lat(r.idle.latency)} ms, peak RSS ${r.peakRssMiB} MiB`;
}

const order = (name: string): number => {
  const i = Object.keys(benches).indexOf(name);
  return i < 0 ? Infinity : i;
};

function summary(): string {
  const saved = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(resultsDir + f, 'utf8')) as Saved)
    .sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
  const upserts = saved.filter((s): s is Saved & { result: UpsertResult } => 'records' in s.result);
  const queues = saved.filter((s): s is Saved & { result: QueueResult } => 'jobs' in s.result);
  const machines = [...new Set(saved.map((s) => `${s.machine.cpus} × ${s.machine.cpuModel}, ${fmt(s.machine.totalMemMiB)} MiB RAM, Node ${s.machine.node}, ${s.machine.platform}`))];
  const out = [
    '# Benchmarks',
    '',
    'Latest figures, regenerated from the JSON files in this folder by `npm run bench`.',
    '',
    `Machine: ${machines.join('; ') || 'none'}`,
    '',
    '## Upsert of deal records',
    '',
    'Batches of 10,000 records per `upsert()` call (one transaction each). The re-upsert sends the same records again: all must come back unchanged. `-2-writers`: two such streams at once on two connections of one process, as two workers syncing at the same time; the rate is of both together.',
    '',
    '| Benchmark | Records | Insert rec/s | Insert s | Re-upsert rec/s | Re-upsert s | Table MiB | Peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|',
    ...upserts.map(({ name, date, commit, stealPct, result: r }) =>
      `| ${name} | ${fmt(r.records)} | ${fmt(r.insert.recordsPerSec)} | ${(r.insert.ms / 1000).toFixed(1)} | ${fmt(r.reupsert.recordsPerSec)} | ${(r.reupsert.ms / 1000).toFixed(1)} | ${r.tableMiB} | ${r.peakRssMiB} | ${day(date)} | ${commit} | ${steal(stealPct)} | ${status(r)} |`,
    ),
    '',
    '## Job queue',
    '',
    'Enqueue and drain: jobs added (in parallel chunks of 500) with the worker stopped, then `start()` to the last handler done. Live: the same number added while the worker runs, first add to last handler done. Latency is enqueue to handler start, in ms: under the live load, and for 1,000 jobs added one at a time to an idle worker. Concurrency 8, handlers do nothing.',
    '',
    '| Benchmark | Jobs | Enqueue jobs/s | Drain jobs/s | Live jobs/s | Live latency p50 / p99 / max | Idle latency p50 / p99 / max | Peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|',
    ...queues.map(({ name, date, commit, stealPct, result: r }) =>
      `| ${name} | ${fmt(r.jobs)} | ${fmt(r.enqueue.jobsPerSec)} | ${fmt(r.drain.jobsPerSec)} | ${fmt(r.live.jobsPerSec)} | ${lat(r.live.latency)} | ${lat(r.idle.latency)} | ${r.peakRssMiB} | ${day(date)} | ${commit} | ${steal(stealPct)} | ${status(r)} |`,
    ),
    '',
    '## Reproduce',
    '',
    'Needs Postgres at 127.0.0.1:5432 (trust auth; `BENCH_DATABASE_URL` overrides) and Redis at 127.0.0.1:6379 (`BENCH_REDIS_URL`).',
    '',
    '```sh',
    'npm run bench                              # everything: 1,000,000 records, 10,000 jobs',
    ...saved.map((s) => s.reproduce),
    '```',
    '',
  ];
  return out.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    const bench = benches[args[1] ?? ''];
    if (!bench) throw new Error(`unknown benchmark ${args[1]}`);
    const send = process.send?.bind(process);
    if (!send) throw new Error('--child is for run.ts itself');
    const result = await bench();
    await new Promise<void>((resolve, reject) => send(result, undefined, undefined, (e) => (e ? reject(e) : resolve())));
    return 0;
  }
  // A name selects one benchmark; a prefix such as "upsert" selects its group.
  const names = Object.keys(benches).filter((n) => !args.length || args.some((a) => n === a || n.startsWith(`${a}-`)));
  const unknown = args.filter((a) => !Object.keys(benches).some((n) => n === a || n.startsWith(`${a}-`)));
  if (unknown.length || !names.length) {
    log(`unknown benchmark ${unknown.join(', ')}; choose from: ${Object.keys(benches).join(', ')}`);
    return 2;
  }
  mkdirSync(resultsDir, { recursive: true });
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    totalMemMiB: Math.round(os.totalmem() / 2 ** 20),
  };
  const lines: string[] = [];
  let failed = false;
  for (const name of names) {
    log(`${name}...`);
    const t0 = performance.now();
    const ticks = cpuTicks();
    const measured = commit();
    try {
      const result = await runChild(name);
      const elapsedMs = Math.round(performance.now() - t0);
      const steal = stealPct(ticks);
      const saved: Saved = {
        name,
        date: new Date().toISOString(),
        elapsedMs,
        commit: measured,
        ...(steal === undefined ? {} : { stealPct: steal }),
        reproduce: reproduce(name),
        machine,
        result,
      };
      writeFileSync(`${resultsDir}${name}.json`, `${JSON.stringify(saved, null, 2)}\n`);
      if (result.problems.length) failed = true;
      lines.push(`${name} (${(elapsedMs / 1000).toFixed(1)} s): ${describe(result)}${result.problems.length ? `\n  ${status(result)}` : ''}`);
    } catch (e) {
      failed = true;
      lines.push(`${name}: FAILED: ${(e as Error).message}`);
    }
  }
  writeFileSync(`${resultsDir}SUMMARY.md`, summary());
  log(`\n${lines.join('\n')}\n\nresults in ${resultsDir}`);
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
