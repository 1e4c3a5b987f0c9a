import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ensureSandboxCa } from '../../src/sandbox/bitrix24/index.js';
import { amocrmSyncBench, amoSandboxHost, type AmocrmSyncResult } from './amocrm-sync.js';
import { bitrix24SyncBench, sandboxHost, type Bitrix24SyncResult } from './bitrix24-sync.js';
import { cpuTicks, envInt, log, stealPct } from './measure.js';
import { queueBench, type QueueResult } from './queue.js';
import { upsertBench, type UpsertResult } from './upsert.js';
import { pluginsBench, type PluginsResult } from './plugins.js';
import { loadGenerator, webhooksBench, type WebhooksResult } from './webhooks.js';
import { describeOnec, onecBench, reproduceOnec, summaryOnec, type OnecResult } from './onec.js';

type Result = UpsertResult | QueueResult | Bitrix24SyncResult | WebhooksResult | OnecResult | AmocrmSyncResult | PluginsResult;

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
  'bitrix24-sync': () => bitrix24SyncBench(),
  'bitrix24-sync-rate-only': () => bitrix24SyncBench({ operatingLimitS: 1_000_000 }),
  'bitrix24-webhooks': () => webhooksBench(),
  'onec-import': () => onecBench(),
  'amocrm-sync': () => amocrmSyncBench(),
  'plugins-postgres': () => pluginsBench(),
};

/** Processes a benchmark starts besides itself (the sandbox portal, the load generator), run from this file too. */
const helpers: Record<string, () => Promise<void>> = {
  'b24-sandbox': sandboxHost,
  'webhook-load': loadGenerator,
  'amo-sandbox': amoSandboxHost,
};

const here = fileURLToPath(import.meta.url);
const resultsDir = fileURLToPath(new URL('./results/', import.meta.url));

/** Each benchmark runs in a process of its own, so that its peak RSS is not the previous one's heap. */
async function runChild(name: string): Promise<Result> {
  // The sandbox portal serves HTTPS under its own CA, which a process trusts only from its start.
  const { caPath } = await ensureSandboxCa();
  return new Promise((resolve, reject) => {
    const child = fork(here, ['--child', name], { stdio: 'inherit', env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath } });
    let result: Result | undefined;
    child.on('message', (m) => (result = m as Result));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${name} exited with code ${code} and no result`))));
  });
}

function reproduce(name: string, r: Result): string {
  let env = name.startsWith('upsert') ? `BENCH_RECORDS=${records} ` : `BENCH_JOBS=${jobs} `;
  if ('sdkPlain' in r) {
    const rows = r.sandbox.rows;
    env = `BENCH_B24_DEALS=${rows.deals} BENCH_B24_CONTACTS=${rows.contacts} BENCH_B24_ACTIVITIES=${rows.activities} BENCH_B24_USERS=${rows.users} BENCH_B24_DISMISSED=${rows.dismissed} BENCH_B24_OPERATING_S=${r.sandbox.operatingLimitS} BENCH_B24_SDK_DEALS=${r.sdkPlain.items} `;
  }
  if ('latency' in r && 'statuses' in r) env = `BENCH_WEBHOOK_SECONDS=${r.seconds} BENCH_WEBHOOK_RATE=${r.targetRate} `;
  if ('rawSax' in r) env = reproduceOnec(r);
  if ('generateSeconds' in r) env = `BENCH_PLUGIN_DEALS=${r.deals} BENCH_PLUGIN_ACTIVITIES=${r.activities} BENCH_PLUGIN_MANAGERS=${r.managers} `;
  if ('refreshCheck' in r) {
    const q = r.requested;
    env = `BENCH_AMO_LEADS=${q.leads} BENCH_AMO_CONTACTS=${q.contacts} BENCH_AMO_EVENTS=${q.events} BENCH_AMO_USERS=${q.users} BENCH_AMO_INACTIVE=${q.inactiveUsers} `;
  }
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
  if ('rawSax' in r) return describeOnec(r);
  if ('refreshCheck' in r) {
    const l = r.lists;
    const e = r.events;
    return `${fmt(r.total.items)} items in ${r.total.seconds} s: lists ${fmt(l.overall.itemsPerSec)} items/s, steady ${fmt(l.steady.itemsPerSec)} = ${l.steadyRatioToBound} of the ${fmt(l.boundItemsPerSec)}/s bound (${l.ratioToBound} overall); events ${fmt(e.overall.itemsPerSec)} items/s, steady ${fmt(e.steady.itemsPerSec)} = ${e.steadyRatioToBound} of ${fmt(e.boundItemsPerSec)}/s (${e.ratioToBound} overall); requests ${r.total.requests} (sandbox ${r.total.sandboxRequests}), 429 ${r.total.limited}, 403 ${r.total.blocked}; ${r.refreshCheck.refreshes} refresh for ${r.refreshCheck.concurrent} concurrent requests; peak RSS ${r.peakRssMiB} MiB`;
  }
  if ('sdkPlain' in r) {
    const t = r.total;
    return `${fmt(t.items)} items in ${t.seconds} s: ${fmt(t.itemsPerSec)} items/s, steady ${fmt(t.steady.itemsPerSec)} items/s = ${r.steadyRatioToBound} of the ${fmt(r.boundItemsPerSec)}/s bound (${r.ratioToBound} overall); requests ${t.requests} (portal ${t.portalRequests}), limited ${t.limited}; SDK plain ${fmt(r.sdkPlain.itemsPerSec)} items/s (steady ${fmt(r.sdkPlain.steady.itemsPerSec)}): ${r.speedup.overall}× (${r.speedup.steady}× steady); peak RSS ${r.peakRssMiB} MiB`;
  }
  if ('statuses' in r) {
    const s = r.statuses;
    return `${fmt(r.sent)} requests in ${r.seconds} s at ${fmt(r.achievedRate)}/s: latency p50/p99/max ${lat(r.latency)} ms; 200 new ${fmt(s.new)}, 200 duplicate ${fmt(s.duplicate)}, 401 ${fmt(s.forged)}, other ${fmt(s.other)}; inbox ${fmt(r.inbox.stored)} stored for ${fmt(r.inbox.distinctValid)} distinct valid events; peak RSS ${r.peakRssMiB} MiB`;
  }
  if ('generateSeconds' in r) {
    return `${fmt(r.deals)} deals, ${fmt(r.activities)} activities, ${r.managers} managers (made in ${r.generateSeconds} s): ${r.runs.map((x) => `${x.plugin} ${x.seconds} s, ${fmt(x.results)} results, ${x.peakRssMiB} MiB`).join('; ')}`;
  }
  if ('records' in r) {
    return `${fmt(r.records)} records: insert ${fmt(r.insert.storeRecordsPerSec)} rec/s in the store (${fmt(r.insert.recordsPerSec)} with making them up, ${r.insert.ms} ms), re-upsert ${fmt(r.reupsert.storeRecordsPerSec)} rec/s (${fmt(r.reupsert.recordsPerSec)}, ${r.reupsert.ms} ms), table ${r.tableMiB} MiB, peak RSS ${r.peakRssMiB} MiB`;
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
  // Results of kinds this file does not know (another benchmark's, written by its own runner) are left out.
  const upserts = saved.filter((s): s is Saved & { result: UpsertResult } => 'records' in s.result && 'insert' in s.result);
  const queues = saved.filter((s): s is Saved & { result: QueueResult } => 'drain' in s.result);
  const syncs = saved.filter((s): s is Saved & { result: Bitrix24SyncResult } => 'sdkPlain' in s.result);
  const hooks = saved.filter((s): s is Saved & { result: WebhooksResult } => 'statuses' in s.result);
  const onecs = saved.filter((s): s is Saved & { result: OnecResult } => 'rawSax' in s.result);
  const amos = saved.filter((s): s is Saved & { result: AmocrmSyncResult } => 'refreshCheck' in s.result);
  const pluginRuns = saved.filter((s): s is Saved & { result: PluginsResult } => 'generateSeconds' in s.result);
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
    'Batches of 10,000 records per `upsert()` call (one transaction each). The re-upsert sends the same records again: all must come back unchanged. `-2-writers`: two such streams at once on two connections of one process, as two workers syncing at the same time; the rate is of both together. Rec/s is over the time inside `upsert()` calls (targets: 50,000 inserted, 100,000 re-upserted); "with input" also counts the benchmark making up each record (about 2 µs, as an adapter\'s mapping would).',
    '',
    '| Benchmark | Records | Insert rec/s | with input | Insert s | Re-upsert rec/s | with input | Re-upsert s | Table MiB | Peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|',
    ...upserts.map(({ name, date, commit, stealPct, result: r }) =>
      `| ${name} | ${fmt(r.records)} | ${fmt(r.insert.storeRecordsPerSec ?? r.insert.recordsPerSec)} | ${fmt(r.insert.recordsPerSec)} | ${(r.insert.ms / 1000).toFixed(1)} | ${fmt(r.reupsert.storeRecordsPerSec ?? r.reupsert.recordsPerSec)} | ${fmt(r.reupsert.recordsPerSec)} | ${(r.reupsert.ms / 1000).toFixed(1)} | ${r.tableMiB} | ${r.peakRssMiB} | ${day(date)} | ${commit} | ${steal(stealPct)} | ${status(r)} |`,
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
    '## Bitrix24 full sync',
    '',
    'A full sync (`runSync`, one entity at a time) from the sandbox portal in a process of its own (loopback HTTPS, leaky bucket 2 requests/s, burst 50, operating-time limit per method) into Postgres. Bound: 50 pages of 50 items per batch request × 2 requests/s = 5,000 items/s. Steady: from the page stored when the portal\'s bucket (replayed from our send times) reached its peak, i.e. the burst was spent, to the end. `-rate-only`: the same with the portal\'s operating-time limit lifted, so that only the request rate binds. SDK plain: `B24Hook.fromWebhookUrl` and `actions.v2.fetchList` over `crm.item.list`, one page of 50 per request, on a second sandbox process with the same options. Requests: counted by `runSync` / by the portal; limited: `QUERY_LIMIT_EXCEEDED` answers.',
    '',
    '| Benchmark | Items | Requests | Seconds | Items/s | Steady items/s | Of bound (overall / steady) | Limited | SDK plain items/s (steady) | Speed-up (overall / steady) | Peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|',
    ...syncs.map(({ name, date, commit, stealPct, result: r }) =>
      `| ${name} | ${fmt(r.total.items)} | ${r.total.requests} / ${r.total.portalRequests} | ${r.total.seconds} | ${fmt(r.total.itemsPerSec)} | ${fmt(r.total.steady.itemsPerSec)} | ${r.ratioToBound} / ${r.steadyRatioToBound} | ${r.total.limited} | ${fmt(r.sdkPlain.itemsPerSec)} (${fmt(r.sdkPlain.steady.itemsPerSec)}) | ${r.speedup.overall}× / ${r.speedup.steady}× | ${r.peakRssMiB} | ${day(date)} | ${commit} | ${steal(stealPct)} | ${status(r)} |`,
    ),
    '',
    ...syncs.flatMap(({ name, result: r }) => [
      `${name} by entity:`,
      '',
      '| Entity | Items | Expected | Requests | Seconds | Items/s | Error |',
      '|---|--:|--:|--:|--:|--:|---|',
      ...Object.entries(r.entities).map(([e, f]) => `| ${e} | ${fmt(f.items)} | ${fmt(f.expected)} | ${f.requests} | ${f.seconds} | ${fmt(f.itemsPerSec)} | ${f.error ?? ''} |`),
      '',
    ]),
    '## Bitrix24 webhook ingestion',
    '',
    'The events receiver (`createApp` + `mountWebhooks`) on Postgres and BullMQ (jobs not processed during the load), loaded from another process by autocannon on loopback (32 connections, rate capped at the target) with form-encoded `ONCRMDEALUPDATE` events: distinct deals, 10 % replays of a body sent 500+ events earlier, 5 % forged tokens. Latency in ms, as autocannon saw it. Afterwards the inbox must hold each distinct valid event exactly once and no forged one. The machine has 2 cores for server, load generator, Postgres and Redis together; the JSON has the server-side split (inbox insert, queue add, CPU per request, event-loop delay) and the load average when the load began.',
    '',
    '| Benchmark | Requests | Target/s | Achieved/s | Latency p50 / p99 / max | 200 new | 200 duplicate | 401 | Other | Stored / distinct valid | Peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|',
    ...hooks.map(({ name, date, commit, stealPct, result: r }) =>
      `| ${name} | ${fmt(r.sent)} | ${fmt(r.targetRate)} | ${fmt(r.achievedRate)} | ${lat(r.latency)} | ${fmt(r.statuses.new)} | ${fmt(r.statuses.duplicate)} | ${fmt(r.statuses.forged)} | ${fmt(r.statuses.other)} | ${fmt(r.inbox.stored)} / ${fmt(r.inbox.distinctValid)} | ${r.peakRssMiB} | ${day(date)} | ${commit} | ${steal(stealPct)} | ${status(r)} |`,
    ),
    '',
    ...summaryOnec(onecs),
    '## amoCRM full sync',
    '',
    'A full sync (`runSync`, one entity at a time: users, leads as deals, contacts, `lead_status_changed` events as stage changes) from the sandbox account in a process of its own (loopback HTTPS, sliding one-second window of 7 requests/s, 20 consecutive 429s block the account with a 403) into Postgres. Bounds: 7 requests/s × 250 items a page = 1,750 items/s for leads and contacts, × 100 = 700 items/s for events. The adapter spaces requests evenly at 93 % of the rate on purpose, so about 0.93 of a bound is the most it can reach. Overall: items over each entity\'s runSync time, setup requests included; steady: from an entity\'s first page stored to its last. Requests: counted by `runSync` / by the sandbox; 429 and 403 from the sandbox. Refresh: an OAuth account whose token the sandbox expired, 20 concurrent requests through one client; refreshes the sandbox received (target exactly 1).',
    '',
    '| Benchmark | Items | Requests | Seconds | Lists items/s (steady) | Lists of bound (overall / steady) | Events items/s (steady) | Events of bound (overall / steady) | 429 | 403 | Refreshes / concurrent | Peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|--:|---|',
    ...amos.map(({ name, date, commit, stealPct, result: r }) =>
      `| ${name} | ${fmt(r.total.items)} | ${r.total.requests} / ${r.total.sandboxRequests} | ${r.total.seconds} | ${fmt(r.lists.overall.itemsPerSec)} (${fmt(r.lists.steady.itemsPerSec)}) | ${r.lists.ratioToBound} / ${r.lists.steadyRatioToBound} | ${fmt(r.events.overall.itemsPerSec)} (${fmt(r.events.steady.itemsPerSec)}) | ${r.events.ratioToBound} / ${r.events.steadyRatioToBound} | ${r.total.limited} | ${r.total.blocked} | ${r.refreshCheck.refreshes} / ${r.refreshCheck.concurrent} | ${r.peakRssMiB} | ${day(date)} | ${commit} | ${steal(stealPct)} | ${status(r)} |`,
    ),
    '',
    ...amos.flatMap(({ name, result: r }) => [
      `${name} by entity:`,
      '',
      '| Entity | Items | Expected | Requests | Seconds | Items/s | Steady items/s | Error |',
      '|---|--:|--:|--:|--:|--:|--:|---|',
      ...Object.entries(r.entities).map(([e, f]) => `| ${e} | ${fmt(f.items)} | ${fmt(f.expected)} | ${f.requests} / ${f.sandboxRequests} | ${f.seconds} | ${fmt(f.itemsPerSec)} | ${fmt(f.steady.itemsPerSec)} | ${f.error ?? ''} |`),
      '',
    ]),
    '## Plugins',
    '',
    'Each plugin\'s full run (`runPlugin`, dry run: read through the scoped SQL reader, results and planned writes recorded) on Postgres over an account made in SQL: deals over two years (70 % closed), leads, contacts, two stage changes per deal, activities (10 % open, of those 5 % overdue), managers in departments of 20, 2 % dismissed. Targets: under 10 s and under 500 MiB of Node RSS each.',
    '',
    '| Benchmark | Deals | Activities | Managers | Plugin | Seconds | Results | Writes | Peak RSS MiB | Date | Commit | CPU steal | Status |',
    '|---|--:|--:|--:|---|--:|--:|--:|--:|---|---|--:|---|',
    ...pluginRuns.flatMap(({ name, date, commit, stealPct, result: r }) =>
      r.runs.map((x) => `| ${name} | ${fmt(r.deals)} | ${fmt(r.activities)} | ${r.managers} | ${x.plugin} | ${x.seconds} | ${fmt(x.results)} | ${fmt(x.writes)} | ${x.peakRssMiB} | ${day(date)} | ${commit} | ${steal(stealPct)} | ${status(r)} |`),
    ),
    '',
    '## Dashboard pages',
    '',
    'The data of each dashboard page (`src/dashboard/data`), read the way a page view reads it, over the plugin runs the benchmark above just recorded (25,000 findings, 22,000 planned moves): median of 5, in process, HTML rendering not included. Target: under 1 s.',
    '',
    '| Benchmark | Deals | Page | Viewer | ms | Date | Commit |',
    '|---|--:|---|---|--:|---|---|',
    ...pluginRuns.flatMap(({ name, date, commit, result: r }) => (r.pages ?? []).map((x) => `| ${name} | ${fmt(r.deals)} | ${x.page} | ${x.viewer} | ${x.ms} | ${day(date)} | ${commit} |`)),
    '',
    '## Reproduce',
    '',
    'Needs Postgres at 127.0.0.1:5432 (trust auth; `BENCH_DATABASE_URL` overrides) and Redis at 127.0.0.1:6379 (`BENCH_REDIS_URL`). The Bitrix24 and amoCRM benchmarks start their own sandbox (portal, account); run.ts passes the sandbox CA to the benchmark process as `NODE_EXTRA_CA_CERTS`.',
    '',
    '```sh',
    'npm run bench                              # everything: 1,000,000 records, 10,000 jobs',
    ...saved.map((s) => s.reproduce),
    '```',
    '',
  ];
  return out.join('\n');
}

async function main(): Promise<number | undefined> {
  const args = process.argv.slice(2);
  if (args[0] === '--helper') {
    const helper = helpers[args[1] ?? ''];
    if (!helper) throw new Error(`unknown helper ${args[1]}`);
    await helper();
    // A helper serves until its parent tells it to stop (or exits by itself).
    return undefined;
  }
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
        reproduce: reproduce(name, result),
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
  (code) => code !== undefined && process.exit(code),
  (e: unknown) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
