import { Writable } from 'node:stream';
import { HelperProcess } from './helper-process.js';
import { B24Hook } from '@bitrix24/b24jssdk';
import { webhookAccount } from '../../adapters/bitrix24/connect.js';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { EntityName } from '../../src/model/index.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { connectAccount } from '../../src/runtime/connect-account.js';
import { runSync, type JobDeps } from '../../src/runtime/jobs.js';
import { startBitrix24Sandbox, type Bitrix24SandboxOptions, type Stats } from '../../src/sandbox/bitrix24/index.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';
import { RssPeak, envInt, log, mib, perSec, recording } from './measure.js';
import { freshDatabase } from './db.js';

export { freshDatabase };

const PER_SECOND = 2;
const BURST = 50;
/** 50 commands of 50 items in one batch request. */
const ITEMS_PER_REQUEST = 2_500;
const entities = ['users', 'contacts', 'deals', 'activities'] as const satisfies readonly EntityName[];


// ---- The sandbox portal in a process of its own: its CPU and its ~300 MB of data are not the client's.

type HostMessage =
  | { type: 'ready'; webhookUrl: string; rows: Record<string, number> }
  | { type: 'stats'; stats: Stats; peakRssMiB: number };

/** run.ts --helper b24-sandbox: serves a sandbox with the options in BENCH_B24_SANDBOX until told to close. */
export async function sandboxHost(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('the sandbox host runs under bitrix24-sync only');
  const rss = new RssPeak();
  const sb = await startBitrix24Sandbox(JSON.parse(process.env.BENCH_B24_SANDBOX ?? '{}') as Bitrix24SandboxOptions);
  const d = sb.data;
  const rows = { users: d.users.rows.length, dismissed: d.users.rows.filter((u) => !u.active).length, contacts: d.contacts.rows.length, deals: d.deals.rows.length, activities: d.activities.rows.length };
  send({ type: 'ready', webhookUrl: sb.webhookUrl, rows } satisfies HostMessage);
  process.on('message', (m: { type: string }) => {
    if (m.type === 'stats') send({ type: 'stats', stats: sb.stats(), peakRssMiB: mib(rss.sample()) } satisfies HostMessage);
    if (m.type === 'close') void sb.close().then(() => process.exit(0));
  });
}

type SandboxProcess = HelperProcess<HostMessage>;
const startSandbox = (options: Bitrix24SandboxOptions): Promise<SandboxProcess> =>
  HelperProcess.start<HostMessage>('b24-sandbox', { BENCH_B24_SANDBOX: JSON.stringify(options) });

// ---- Measurements.


interface Mark {
  at: number;
  /** Items stored so far. */
  items: number;
  /** Requests sent to the portal so far, since it started. */
  requests: number;
}

export interface Rate {
  items: number;
  seconds: number;
  itemsPerSec: number;
}

const rate = (items: number, ms: number): Rate => ({ items, seconds: Math.round(ms) / 1000, itemsPerSec: perSec(items, ms) });

/**
 * The request (1-based, counted from the portal's start) from which the portal's leaky bucket, replayed
 * from the send times, stayed at its peak: from there on only `perSecond` requests a second get through.
 * Not simply the 50th: the bucket drains while the first 50 go; and a client that keeps a margin never
 * fills it to the brim, so "full" is within one slot of the highest level reached.
 */
export function burstSpentAt(sendTimes: readonly number[], perSecond = PER_SECOND, burst = BURST): number {
  let level = 0;
  let last = sendTimes[0] ?? 0;
  const levels = sendTimes.map((t) => {
    level = Math.max(0, level - ((t - last) / 1000) * perSecond) + 1;
    last = t;
    return level;
  });
  const peak = Math.max(0, ...levels);
  if (peak < burst / 2) return sendTimes.length;
  return levels.findIndex((l) => l >= peak - 1) + 1;
}

/** The rate once the portal's burst is spent: from the last page fetched before it was, to the end. Pages are timed when stored. */
function steady(marks: readonly Mark[], start: Mark, spentAt: number): Rate & { fromRequest: number } {
  const from = [...marks].reverse().find((m) => m.requests <= spentAt) ?? start;
  const end = marks.at(-1) ?? start;
  return { ...rate(end.items - from.items, end.at - from.at), fromRequest: from.requests };
}

/** A logger that keeps the adapter's warnings (its retries), with their time. */
function capturingLog(into: { at: number; line: Record<string, unknown> }[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) into.push({ at: performance.now(), line: JSON.parse(l) as Record<string, unknown> });
      done();
    },
  });
  return createLogger('warn', sink);
}

export interface EntityFigures extends Rate {
  requests: number;
  expected: number;
  error?: string;
}

export interface Bitrix24SyncResult {
  benchmark: 'bitrix24-sync';
  store: 'postgres';
  sandbox: { perSecond: number; burst: number; operatingLimitS: number; rows: Record<string, number>; peakRssMiB: number; process: string };
  entities: Partial<Record<EntityName, EntityFigures>>;
  total: Rate & { requests: number; portalRequests: number; limited: number; steady: Rate & { fromRequest: number }; netOfBurst: Rate };
  /** When each request went out (s from the first sync request; negative: connect's check), and the adapter's retries. */
  timeline: { requestsAtS: number[]; retries: { atS: number; what: string; attempt: number; error: string }[] };
  boundItemsPerSec: number;
  ratioToBound: number;
  steadyRatioToBound: number;
  sdkPlain: Rate & { requests: number; limited: number; pages: number; steady: Rate & { fromRequest: number }; sandbox: string };
  speedup: { overall: number; steady: number };
  targets: { ratioToBound: number; speedup: number; met: boolean };
  peakRssMiB: number;
  problems: string[];
  notes: string[];
}

async function measureSdk(webhookUrl: string, limit: number): Promise<{ marks: Mark[]; start: Mark }> {
  const hook = B24Hook.fromWebhookUrl(webhookUrl);
  hook.offClientSideWarning();
  const start: Mark = { at: performance.now(), items: 0, requests: 0 };
  const marks: Mark[] = [];
  let items = 0;
  // One page of 50 per request, the SDK's own limiter at its default plan (2/s, burst 50).
  for await (const page of hook.actions.v2.fetchList.make({ method: 'crm.item.list', params: { entityTypeId: 2 }, idKey: 'id', customKeyForResult: 'items' })) {
    items += page.length;
    marks.push({ at: performance.now(), items, requests: marks.length + 1 });
    if (items >= limit) break;
    if (marks.length % 50 === 0) log(`  sdk plain ${items}/${limit}  ${perSec(items, performance.now() - start.at)} items/s`);
  }
  return { marks, start };
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

export async function bitrix24SyncBench(o: { operatingLimitS?: number } = {}): Promise<Bitrix24SyncResult> {
  const rss = new RssPeak();
  const options: Bitrix24SandboxOptions = {
    seed: 1,
    deals: envInt('BENCH_B24_DEALS', 100_000),
    contacts: envInt('BENCH_B24_CONTACTS', 20_000),
    activities: envInt('BENCH_B24_ACTIVITIES', 300_000),
    managers: envInt('BENCH_B24_USERS', 200) - envInt('BENCH_B24_DISMISSED', 20),
    dismissed: envInt('BENCH_B24_DISMISSED', 20),
    perSecond: PER_SECOND,
    burst: BURST,
    operatingLimitS: o.operatingLimitS ?? envInt('BENCH_B24_OPERATING_S', 480),
    anchor: Date.parse('2026-11-01T00:00:00Z'),
  };
  const sdkItems = envInt('BENCH_B24_SDK_DEALS', 10_000);
  const problems: string[] = [];
  const notes: string[] = [];
  const db = await freshDatabase();
  let sandbox = await startSandbox(options);
  // The SDK's portal: same options and seed, started now and left idle, so its bucket is full when its turn comes.
  let second: SandboxProcess | undefined;
  log(`  sandbox up: ${JSON.stringify(sandbox.ready.rows)}`);
  try {
    second = await startSandbox(options);
    const store = await Store.open({ databaseUrl: db.url });
    const sent: number[] = [];
    const warnings: { at: number; line: Record<string, unknown> }[] = [];
    const deps: JobDeps = {
      store,
      queue: new MemoryQueue(),
      log: capturingLog(warnings),
      units: { adapters: [bitrix24Adapter as unknown as AdapterDef], plugins: [] },
      limiter: recording(createRateLimiter(), sent),
    };
    const signal = new AbortController().signal;
    const figures: Partial<Record<EntityName, EntityFigures>> = {};
    const marks: Mark[] = [];
    let start: Mark;
    let requests = 0;
    let connectRequests = 0;
    const before = await sandbox.ask('stats', 'stats');
    try {
      const account = (await connectAccount(deps, bitrix24Adapter as unknown as AdapterDef, webhookAccount(sandbox.ready.webhookUrl, { perSecond: PER_SECOND, burst: BURST }), signal)).id;
      connectRequests = sent.length;
      start = { at: performance.now(), items: 0, requests: before.stats.requests + sent.length };
      let done = 0;
      for (const entity of entities) {
        const t0 = performance.now();
        const expected = sandbox.ready.rows[entity] ?? 0;
        let items = 0;
        const onPage = (_e: EntityName, c: { inserted: number; updated: number; unchanged: number }) => {
          items = c.inserted + c.updated + c.unchanged;
          marks.push({ at: performance.now(), items: done + items, requests: before.stats.requests + sent.length });
          rss.sample();
          if (marks.length % 20 === 0) log(`  ${entity} ${items}/${expected}  ${perSec(done + items, performance.now() - start.at)} items/s overall, ${sent.length} requests`);
        };
        const sentBefore = sent.length;
        try {
          const r = await runSync(deps, { account, entity }, signal, onPage);
          const c = r.entities[entity];
          items = c ? c.inserted + c.updated + c.unchanged : 0;
          requests += r.requests;
          figures[entity] = { ...rate(items, performance.now() - t0), requests: r.requests, expected };
        } catch (e) {
          // runSync's count is lost with the throw; the limiter saw every request all the same.
          requests += sent.length - sentBefore;
          const err = e as Error & { code?: string; retryable?: boolean };
          const error = `${err.message} (code ${err.code ?? '?'}, retryable ${String(err.retryable ?? false)})`;
          figures[entity] = { ...rate(items, performance.now() - t0), requests: sent.length - sentBefore, expected, error };
          problems.push(`${entity}: sync failed after ${items}/${expected} items: ${error}`);
        }
        if (!figures[entity]?.error && items !== expected) problems.push(`${entity}: expected ${expected} items, synced ${items}`);
        done += items;
        log(`  ${entity}: ${items} items, ${figures[entity]?.requests} requests, ${figures[entity]?.seconds} s`);
      }
    } finally {
      await deps.queue.close(100);
      await store.close();
    }
    const end = marks.at(-1) ?? start;
    const after = await sandbox.ask('stats', 'stats');
    const portalRequests = after.stats.requests - before.stats.requests - connectRequests;
    const limited = after.stats.limited - before.stats.limited;
    const totalItems = Object.values(figures).reduce((s, f) => s + f.items, 0);
    const spentAt = burstSpentAt(sent);
    // Conservative: the items past the first 50 requests over the whole time, as if the burst took none.
    const burstItems = [...marks].reverse().find((m) => m.requests <= BURST)?.items ?? 0;
    const total = {
      ...rate(totalItems, end.at - start.at),
      requests,
      portalRequests,
      limited,
      steady: steady(marks, start, spentAt),
      netOfBurst: rate(totalItems - burstItems, end.at - start.at),
    };
    const s0 = sent[connectRequests] ?? start.at;
    const timeline = {
      requestsAtS: sent.map((t) => Math.round((t - s0) / 10) / 100),
      retries: warnings
        .filter((w) => w.line.msg === 'bitrix24 request retried')
        .map((w) => ({ atS: Math.round((w.at - s0) / 10) / 100, what: String(w.line.what), attempt: Number(w.line.attempt), error: String(w.line.error).slice(0, 120) })),
    };
    if (requests !== portalRequests) problems.push(`runSync counted ${requests} requests, the portal ${portalRequests}`);
    if (limited) problems.push(`${limited} requests refused with QUERY_LIMIT_EXCEEDED`);
    const sandboxRss = after.peakRssMiB;
    await sandbox.close();

    // The second portal: its bucket is full, as the first one's was when the sync began.
    sandbox = second;
    const sdkBefore = await sandbox.ask('stats', 'stats');
    const sdk = await measureSdk(sandbox.ready.webhookUrl, sdkItems);
    const sdkAfter = await sandbox.ask('stats', 'stats');
    const sdkEnd = sdk.marks.at(-1) ?? sdk.start;
    const sdkPlain = {
      ...rate(sdkEnd.items, sdkEnd.at - sdk.start.at),
      requests: sdkAfter.stats.requests - sdkBefore.stats.requests,
      limited: sdkAfter.stats.limited - sdkBefore.stats.limited,
      pages: sdk.marks.length,
      steady: steady(sdk.marks, sdk.start, burstSpentAt(sdk.marks.map((m) => m.at))),
      sandbox: 'a second sandbox process, identical options and seed, idle (bucket full) until the sync was done and the first closed',
    };
    const bound = ITEMS_PER_REQUEST * PER_SECOND;
    const speedup = { overall: round2(total.itemsPerSec / Math.max(1, sdkPlain.itemsPerSec)), steady: round2(total.steady.itemsPerSec / Math.max(1, sdkPlain.steady.itemsPerSec)) };
    const ratioToBound = round2(total.itemsPerSec / bound);
    const steadyRatioToBound = round2(total.steady.itemsPerSec / bound);
    const met = steadyRatioToBound >= 0.8 && speedup.steady >= 20 && !problems.length;
    if (!total.steady.items) problems.push('no page came after the portal\'s burst was spent: too few items to measure the steady rate');
    else if (steadyRatioToBound < 0.8) problems.push(`target missed: steady ${total.steady.itemsPerSec} items/s is ${steadyRatioToBound} of the ${bound} items/s bound (target 0.8)`);
    if (speedup.steady < 20) problems.push(`target missed: ${speedup.steady}× the SDK's plain list after the burst (target 20×)`);
    notes.push(
      `bound: ${ITEMS_PER_REQUEST} items per batch request × ${PER_SECOND} requests/s. The portal's burst lets requests go faster until its bucket is full; "steady" is timed from the page fetched when the bucket, replayed from the send times, reached its peak (request ${total.steady.fromRequest}), to the end; "netOfBurst" divides the items past the first ${BURST} requests by the whole time`,
    );
    return {
      benchmark: 'bitrix24-sync',
      store: 'postgres',
      sandbox: { perSecond: PER_SECOND, burst: BURST, operatingLimitS: options.operatingLimitS ?? 480, rows: sandbox.ready.rows, peakRssMiB: sandboxRss, process: 'separate process on loopback HTTPS' },
      entities: figures,
      total,
      timeline,
      boundItemsPerSec: bound,
      ratioToBound,
      steadyRatioToBound,
      sdkPlain,
      speedup,
      targets: { ratioToBound: 0.8, speedup: 20, met },
      peakRssMiB: mib(rss.stop()),
      problems,
      notes,
    };
  } finally {
    rss.stop();
    await sandbox.close();
    await second?.close();
    await db.drop();
  }
}
