import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { BullQueue } from '../../src/queue/bullmq-queue.js';
import { jobId } from '../../src/queue/job-id.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import type { JobData, JobQueue } from '../../src/queue/types.js';
import { RssPeak, log, mib, percentile, perSec } from './measure.js';

export type QueueDriver = 'bullmq' | 'memory';

const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CONCURRENCY = 8;
/** Adds in flight at once: enough to pipeline on the Redis connection, not a million open promises. */
const CHUNK = 500;
const TIMEOUT_MS = 300_000;

/** Epoch ms with sub-millisecond resolution; producer and handler share this process's clock. */
const now = (): number => performance.timeOrigin + performance.now();

interface BenchData extends JobData {
  enqueuedAt: number;
  i: number;
}

export interface Latency {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface QueueResult {
  driver: QueueDriver;
  jobs: number;
  concurrency: number;
  chunk: number;
  /** Phase 1, worker not started: how fast jobs go in. */
  enqueue: { ms: number; jobsPerSec: number };
  /** Phase 1 continued: start() to the last handler done over the backlog. Latency here is mostly time spent waiting in the backlog. */
  drain: { ms: number; jobsPerSec: number; latency: Latency };
  /** Phase 2, worker running while the same number of jobs are added: first add to last handler done. */
  live: { ms: number; jobsPerSec: number; enqueueJobsPerSec: number; latency: Latency };
  /** Phase 3: jobs added one at a time, each after the previous finished. */
  idle: { jobs: number; latency: Latency };
  peakRssMiB: number;
  problems: string[];
}

/** Records when each handler starts and resolves once the expected number have finished. */
class Tracker {
  latencies: number[] = [];
  private expected = 0;
  private finished = 0;
  private resolve: (() => void) | undefined;

  reset(): void {
    this.latencies = [];
  }

  expect(n: number): Promise<void> {
    this.expected = n;
    this.finished = 0;
    return new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`only ${this.finished}/${n} jobs ran within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      this.resolve = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  start(enqueuedAt: number): void {
    this.latencies.push(now() - enqueuedAt);
  }

  finish(): void {
    this.finished += 1;
    if (this.finished === this.expected) this.resolve?.();
  }

  latency(): Latency {
    const s = [...this.latencies].sort((a, b) => a - b);
    const ms = (v: number) => Math.round(v * 100) / 100;
    return { p50Ms: ms(percentile(s, 50)), p99Ms: ms(percentile(s, 99)), maxMs: ms(s.at(-1) ?? 0) };
  }
}

async function enqueue(q: JobQueue, phase: string, n: number, rss: RssPeak): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i += CHUNK) {
    const adds: Promise<unknown>[] = [];
    for (let k = i; k < Math.min(n, i + CHUNK); k++) {
      adds.push(q.add<BenchData>('bench', { account: 'bench', enqueuedAt: now(), i: k }, { id: jobId('bench', phase, k) }));
    }
    await Promise.all(adds);
    rss.sample();
  }
  return performance.now() - t0;
}

/** The last handler has returned, but the backend may still be recording it as completed. */
async function settled(q: JobQueue): Promise<string | undefined> {
  const end = Date.now() + 10_000;
  for (;;) {
    const c = await q.counts();
    if (!c.waiting && !c.active && !c.delayed && !c.failed) return undefined;
    if (Date.now() > end) return JSON.stringify(c);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function dropPrefix(prefix: string): Promise<number> {
  const r = new Redis(redisUrl);
  let cursor = '0';
  let dropped = 0;
  try {
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) dropped += await r.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await r.quit();
  }
  return dropped;
}

export async function queueBench(driver: QueueDriver, n: number): Promise<QueueResult> {
  const rss = new RssPeak();
  const prefix = `svb-${randomBytes(4).toString('hex')}`;
  const q: JobQueue =
    driver === 'bullmq' ? await BullQueue.open({ redisUrl, prefix, concurrency: CONCURRENCY, lockMs: 30_000 }) : new MemoryQueue(CONCURRENCY);
  const tracker = new Tracker();
  q.handle<BenchData>('bench', async (job) => {
    tracker.start(job.data.enqueuedAt);
    tracker.finish();
  });
  const problems: string[] = [];
  try {
    const enqueueMs = await enqueue(q, 'backlog', n, rss);
    log(`  ${driver} enqueued ${n} in ${Math.round(enqueueMs)} ms (${perSec(n, enqueueMs)} jobs/s)`);
    tracker.reset();
    const drained = tracker.expect(n);
    const t0 = performance.now();
    await q.start();
    await drained;
    const drainMs = performance.now() - t0;
    const drain = { ms: Math.round(drainMs), jobsPerSec: perSec(n, drainMs), latency: tracker.latency() };
    log(`  ${driver} drained ${n} in ${drain.ms} ms (${drain.jobsPerSec} jobs/s)`);

    tracker.reset();
    const ran = tracker.expect(n);
    const t1 = performance.now();
    const liveEnqueueMs = await enqueue(q, 'live', n, rss);
    await ran;
    const liveMs = performance.now() - t1;
    const live = {
      ms: Math.round(liveMs),
      jobsPerSec: perSec(n, liveMs),
      enqueueJobsPerSec: perSec(n, liveEnqueueMs),
      latency: tracker.latency(),
    };
    log(`  ${driver} live ${n} in ${live.ms} ms (${live.jobsPerSec} jobs/s), latency p50 ${live.latency.p50Ms} ms`);

    // One at a time, each added only after the previous finished: the latency of an idle worker.
    const single = Math.min(n, 1_000);
    tracker.reset();
    for (let k = 0; k < single; k++) {
      const done = tracker.expect(1);
      await q.add<BenchData>('bench', { account: 'bench', enqueuedAt: now(), i: k }, { id: jobId('bench', 'single', k) });
      await done;
    }
    const idle = { jobs: single, latency: tracker.latency() };
    log(`  ${driver} idle latency p50/p99/max ${idle.latency.p50Ms}/${idle.latency.p99Ms}/${idle.latency.maxMs} ms`);

    const left = await settled(q);
    if (left) problems.push(`jobs left over: ${left}`);
    return {
      driver,
      jobs: n,
      concurrency: CONCURRENCY,
      chunk: CHUNK,
      enqueue: { ms: Math.round(enqueueMs), jobsPerSec: perSec(n, enqueueMs) },
      drain,
      live,
      idle,
      peakRssMiB: mib(rss.stop()),
      problems,
    };
  } finally {
    rss.stop();
    await q.close(5_000);
    if (driver === 'bullmq') log(`  removed ${await dropPrefix(prefix)} Redis keys under ${prefix}`);
  }
}
