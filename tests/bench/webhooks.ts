import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { loadEnv } from '../../src/config/env.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log/logger.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { BullQueue } from '../../src/queue/bullmq-queue.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Inbox } from '../../src/store/inbox.js';
import { Store } from '../../src/store/index.js';
import { mountWebhooks } from '../../webhooks/index.js';
import { freshDatabase } from './db.js';
import { RssPeak, envInt, log, mib, percentile } from './measure.js';

const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const account = 'b24-bench-portal.bitrix24.ru';
const token = '51856fefc120afa4b628cc82d3935cce';
/** Forged events name deals from here on, so that a stored one would stand out. */
const FORGED_IDS = 900_000_000;
const TS0 = 1_736_405_807;

type Kind = 'new' | 'duplicate' | 'forged';

/** Replays repeat a body sent at least this many new events before: long answered, so "new" and "duplicate" are not a race. */
const REPLAY_BACK = 500;

/** Request i: every 20th forged (5 %), every 10th a replay (10 %, once there is old enough a body to replay), the rest new. */
const kindOf = (i: number, sentNew: number): Kind => (i % 20 === 0 ? 'forged' : i % 10 === 5 && sentNew > 2 * REPLAY_BACK ? 'duplicate' : 'new');

/** A body form-encoded exactly like the documented ONCRMDEALUPDATE (tests/fixtures/bitrix24/docs). */
function eventBody(dealId: number, ts: number, appToken: string): string {
  return (
    `event=ONCRMDEALUPDATE&event_handler_id=201&data%5BFIELDS%5D%5BID%5D=${dealId}&ts=${ts}` +
    '&auth%5Baccess_token%5D=s6p6eclrvim6da22ft9ch94ekreb52lv&auth%5Bexpires_in%5D=3600&auth%5Bscope%5D=crm' +
    '&auth%5Bdomain%5D=bench-portal.bitrix24.ru&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F' +
    '&auth%5Bstatus%5D=F&auth%5Bclient_endpoint%5D=https%3A%2F%2Fbench-portal.bitrix24.ru%2Frest%2F' +
    `&auth%5Bmember_id%5D=a223c6b3710f85df22e9377d6c4f7553&auth%5Brefresh_token%5D=4s386p3q0tr8dy89xvmt96234v3dljg8&auth%5Bapplication_token%5D=${appToken}`
  );
}

export interface LoadReport {
  sent: Record<Kind, number>;
  statuses: { new: number; duplicate: number; forged: number; other: number };
  /** Answers that were not the one the request called for (a replay answered as new, say). */
  wrong: number;
  requests: number;
  errors: number;
  timeouts: number;
  durationS: number;
  latency: { p50Ms: number; p99Ms: number; maxMs: number };
}

/** run.ts --helper webhook-load: autocannon in its own process, so that it does not share the server's event loop. */
export async function loadGenerator(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('the load generator runs under bitrix24-webhooks only');
  const o = JSON.parse(process.env.BENCH_WEBHOOK_LOAD ?? '{}') as { url: string; seconds: number; rate: number; connections: number };
  const sent: Record<Kind, number> = { new: 0, duplicate: 0, forged: 0 };
  const statuses = { new: 0, duplicate: 0, forged: 0, other: 0 };
  let i = 0;
  let wrong = 0;
  const r = await autocannon({
    url: o.url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    connections: o.connections,
    overallRate: o.rate,
    duration: o.seconds,
    requests: [
      {
        setupRequest: (req, context) => {
          const kind = kindOf(i++, sent.new);
          // One request in flight per connection: the answer that comes next on it is this one's.
          (context as { kind?: Kind }).kind = kind;
          let body: string;
          if (kind === 'forged') body = eventBody(FORGED_IDS + sent.forged, TS0 + sent.forged, `${token.slice(0, -1)}f`);
          else if (kind === 'duplicate') {
            const n = sent.new - REPLAY_BACK - ((sent.duplicate * 37) % REPLAY_BACK);
            body = eventBody(1 + n, TS0 + n, token);
          }
          else body = eventBody(1 + sent.new, TS0 + sent.new, token);
          sent[kind] += 1;
          return { ...req, body };
        },
        onResponse: (status, body, context) => {
          const kind = (context as { kind?: Kind }).kind;
          const got: Kind | 'other' =
            status === 401 ? 'forged' : status === 200 && body.includes('"duplicate":true') ? 'duplicate' : status === 200 && body.includes('"duplicate":false') ? 'new' : 'other';
          statuses[got] += 1;
          if (got !== kind) wrong += 1;
        },
      },
    ],
  });
  const report: LoadReport = {
    sent,
    statuses,
    wrong,
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    durationS: r.duration,
    latency: { p50Ms: r.latency.p50, p99Ms: r.latency.p99, maxMs: r.latency.max },
  };
  await new Promise<void>((resolve, reject) => send(report, undefined, undefined, (e) => (e ? reject(e) : resolve())));
  process.exit(0);
}

function runLoad(options: { url: string; seconds: number; rate: number; connections: number }): Promise<LoadReport> {
  const child = fork(fileURLToPath(new URL('./run.ts', import.meta.url)), ['--helper', 'webhook-load'], {
    env: { ...process.env, BENCH_WEBHOOK_LOAD: JSON.stringify(options) },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    let report: LoadReport | undefined;
    child.on('message', (m) => (report = m as LoadReport));
    child.on('error', reject);
    child.on('exit', (code) => (report ? resolve(report) : reject(new Error(`load generator exited with code ${code}`))));
  });
}

type Latency = { p50Ms: number; p99Ms: number; maxMs: number };
const ms2 = (v: number): number => Math.round(v * 100) / 100;

function latencyOf(values: readonly number[]): Latency & { n: number; meanMs: number } {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { n: s.length, meanMs: ms2(mean), p50Ms: ms2(percentile(s, 50)), p99Ms: ms2(percentile(s, 99)), maxMs: ms2(s.at(-1) ?? 0) };
}

/** Where the server's time goes: the inbox insert and the queue add, timed around the real calls (bench process only). */
function timeStages(queue: BullQueue): { receive: number[]; enqueue: number[]; restore: () => void } {
  const out = { receive: [] as number[], enqueue: [] as number[] };
  const receive = Object.getOwnPropertyDescriptor(Inbox.prototype, 'receive')?.value as Inbox['receive'];
  Inbox.prototype.receive = async function (this: Inbox, ...a: Parameters<Inbox['receive']>) {
    const t0 = performance.now();
    try {
      return await receive.apply(this, a);
    } finally {
      out.receive.push(performance.now() - t0);
    }
  };
  const add = queue.add.bind(queue);
  queue.add = async (...a: Parameters<BullQueue['add']>) => {
    const t0 = performance.now();
    try {
      return await add(...a);
    } finally {
      out.enqueue.push(performance.now() - t0);
    }
  };
  return { ...out, restore: () => void (Inbox.prototype.receive = receive) };
}

/** Busy share of the whole machine (all processes: server, load generator, Postgres, Redis, others) since `from`. */
function busyTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

export interface WebhooksResult {
  benchmark: 'bitrix24-webhooks';
  seconds: number;
  targetRate: number;
  connections: number;
  sent: number;
  achievedRate: number;
  byKind: Record<Kind, number>;
  statuses: LoadReport['statuses'];
  errors: number;
  timeouts: number;
  latency: LoadReport['latency'];
  /** Requests written but unanswered when the load stopped (in flight). */
  unanswered: number;
  /** Answers other than the one the request called for. */
  wrongAnswers: number;
  /** Server side, in ms: a request from entering express to its answer written; the inbox insert; the queue add. */
  server: { handler: Latency; inboxReceive: Latency; queueAdd: Latency; cpuMsPerRequest: number; machineBusyPct: number };
  /** The machine's 1-minute load average as the load began (it lags: it still counts the minute before). */
  loadAvgBefore: number;
  /** The server's event loop delay during the load, in ms. */
  eventLoopDelay: Latency;
  inbox: { stored: number; distinctKeys: number; distinctValid: number; forgedStored: number };
  queue: { eventsJobs: number };
  peakRssMiB: number;
  problems: string[];
}

export async function webhooksBench(): Promise<WebhooksResult> {
  const seconds = envInt('BENCH_WEBHOOK_SECONDS', 30);
  const targetRate = envInt('BENCH_WEBHOOK_RATE', 2_000);
  const connections = envInt('BENCH_WEBHOOK_CONNECTIONS', 32);
  const rss = new RssPeak();
  const prefix = `svb-${randomBytes(4).toString('hex')}`;
  const db = await freshDatabase();
  // The production log level, written where it costs what it costs but does not flood the terminal.
  const sink = openSync('/dev/null', 'w');
  const problems: string[] = [];
  let store: Store | undefined;
  let queue: BullQueue | undefined;
  let server: Server | undefined;
  try {
    store = await Store.open({ databaseUrl: db.url });
    queue = await BullQueue.open({ redisUrl, prefix, concurrency: 8, lockMs: 30_000 });
    await store.accounts.save({ id: account, kind: 'bitrix24', name: 'bench-portal', settings: { portal: 'https://bench-portal.bitrix24.ru', auth: 'webhook' } });
    await store.forAccount(account).secrets.write({ kind: 'webhook', userId: 1, secret: 's3cr3thookkey42', applicationToken: token });
    const logger = createLogger('info', sink);
    const env = loadEnv({ REDIS_URL: redisUrl, SVODKA_QUEUE_PREFIX: prefix });
    const deps = { store, queue, log: logger, env, units: { adapters: [bitrix24Adapter as unknown as AdapterDef], plugins: [] }, limiter: createRateLimiter(), signal: new AbortController().signal };
    const handled: number[] = [];
    const app = createApp({
      log: logger,
      probes: [],
      isShuttingDown: () => false,
      mount: (a) => {
        a.use((_req, res, next) => {
          const t0 = performance.now();
          res.once('finish', () => handled.push(performance.now() - t0));
          next();
        });
        mountWebhooks(a, deps);
      },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server!.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/bitrix24/events/${account}`;

    const loadAvgBefore = Math.round(os.loadavg()[0]! * 100) / 100;
    const stages = timeStages(queue);
    const cpu = process.cpuUsage();
    const machine = busyTicks();
    const loop = monitorEventLoopDelay({ resolution: 1 });
    loop.enable();
    log(`  ${targetRate} events/s for ${seconds} s over ${connections} connections to ${url}`);
    // BENCH_CPU_PROFILE=<file.cpuprofile>: the server process's CPU profile during the load, for a look at where the time goes.
    const profile = process.env.BENCH_CPU_PROFILE;
    const inspector = profile ? new Session() : undefined;
    if (inspector) {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    const load = await runLoad({ url, seconds, rate: targetRate, connections });
    if (inspector && profile) {
      const { profile: p } = await inspector.post('Profiler.stop');
      writeFileSync(profile, JSON.stringify(p));
      inspector.disconnect();
    }
    loop.disable();
    stages.restore();
    const used = process.cpuUsage(cpu);
    const machineNow = busyTicks();

    const q = await store.db.query<{ n: string | number; keys: string | number; forged: string | number }>(
      `SELECT count(*) AS n, count(DISTINCT dedupe_key) AS keys,
              count(*) FILTER (WHERE (payload->>'id')::bigint >= $2) AS forged
       FROM inbox WHERE account_id = $1`,
      [account, FORGED_IDS],
    );
    const row = q.rows[0];
    const inbox = { stored: Number(row?.n ?? 0), distinctKeys: Number(row?.keys ?? 0), distinctValid: load.sent.new, forgedStored: Number(row?.forged ?? 0) };
    const counts = await queue.counts();
    const eventsJobs = counts.waiting + counts.active + counts.delayed;
    const latency = load.latency;
    const answered = load.requests;
    const sent = load.sent.new + load.sent.duplicate + load.sent.forged;
    if (inbox.stored !== inbox.distinctValid || inbox.distinctKeys !== inbox.stored) problems.push(`inbox holds ${inbox.stored} events (${inbox.distinctKeys} keys) for ${inbox.distinctValid} distinct valid ones`);
    if (inbox.forgedStored) problems.push(`${inbox.forgedStored} forged events stored`);
    const s = load.statuses;
    if (load.wrong) problems.push(`${load.wrong} answers were not the one the request called for`);
    if (s.other || load.errors || load.timeouts) problems.push(`${s.other} other answers, ${load.errors} errors, ${load.timeouts} timeouts`);
    if (latency.p99Ms >= 50) problems.push(`target missed: p99 ${latency.p99Ms} ms (target < 50 ms)`);
    const achievedRate = Math.round(answered / Math.max(1, load.durationS));
    const machineBusyPct = Math.round((100 * (machineNow.busy - machine.busy)) / Math.max(1, machineNow.total - machine.total));
    if (machineBusyPct >= 95) problems.push(`the machine's 2 cores were ${machineBusyPct} % busy (load average ${loadAvgBefore} as the load began): the server shared them with the load generator, Postgres, Redis and any other work`);
    if (achievedRate < targetRate * 0.95) problems.push(`achieved ${achievedRate} requests/s of the ${targetRate} asked`);
    return {
      benchmark: 'bitrix24-webhooks',
      seconds,
      targetRate,
      connections,
      sent,
      achievedRate,
      byKind: load.sent,
      statuses: s,
      errors: load.errors,
      timeouts: load.timeouts,
      latency,
      unanswered: sent - answered,
      wrongAnswers: load.wrong,
      server: {
        handler: latencyOf(handled),
        inboxReceive: latencyOf(stages.receive),
        queueAdd: latencyOf(stages.enqueue),
        cpuMsPerRequest: ms2((used.user + used.system) / 1000 / Math.max(1, answered)),
        machineBusyPct,
      },
      loadAvgBefore,
      eventLoopDelay: { p50Ms: ms2(loop.percentile(50) / 1e6), p99Ms: ms2(loop.percentile(99) / 1e6), maxMs: ms2(loop.max / 1e6) },
      inbox,
      queue: { eventsJobs },
      peakRssMiB: mib(rss.stop()),
      problems,
    };
  } finally {
    rss.stop();
    // The receiver queues the events job a moment after a burst (a timer): let it fire before the queue closes.
    await new Promise((r) => setTimeout(r, 500));
    if (server) {
      server.closeAllConnections();
      await new Promise((r) => server!.close(r));
    }
    await queue?.close(5_000);
    await store?.close();
    closeSync(sink);
    await dropPrefix(prefix);
    await db.drop();
  }
}

async function dropPrefix(prefix: string): Promise<void> {
  const r = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await r.quit();
  }
}
