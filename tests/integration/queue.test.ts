import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import { BullQueue } from '../../src/queue/bullmq-queue.js';
import { jobId, type JobData, type JobQueue } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { RateLimitedError, TransientError, ValidationError } from '../../src/sdk/errors.js';
import { dropPrefix, redisUrl, uniquePrefix, waitFor } from '../helpers/redis.js';

/** `shared`: two instances are two workers of one queue (BullMQ); the embedded queue is one process. */
const drivers: { name: string; shared: boolean; open: (prefix: string) => Promise<JobQueue> }[] = [
  { name: 'memory', shared: false, open: async () => new MemoryQueue(2) },
  { name: 'bullmq', shared: true, open: (prefix) => BullQueue.open({ redisUrl, prefix, concurrency: 2, lockMs: 5_000 }) },
];

describe.each(drivers)('queue on $name', ({ open, shared }) => {
  const opened: JobQueue[] = [];
  let prefix = '';
  const make = async () => {
    const q = await open(prefix);
    opened.push(q);
    return q;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((q) => q.close(1_000)));
    await dropPrefix(prefix);
  });

  it('runs a job once per deterministic id, even when added twice', async () => {
    prefix = uniquePrefix();
    const q = await make();
    const seen: JobData[] = [];
    q.handle('sync', async (job) => {
      seen.push(job.data);
    });
    const id = jobId('sync', 'acc-1', 'deals');
    await q.add('sync', { account: 'acc-1' }, { id });
    await q.add('sync', { account: 'acc-1' }, { id });
    await q.start();
    await waitFor(async () => seen.length === 1 && (await q.counts()).active === 0);
    await new Promise((r) => setTimeout(r, 200));
    expect(seen).toEqual([{ account: 'acc-1' }]);
  });

  it('retries a retryable error with growing backoff, then succeeds', async () => {
    prefix = uniquePrefix();
    const q = await make();
    const at: number[] = [];
    q.handle('flaky', async () => {
      at.push(Date.now());
      if (at.length < 3) throw new TransientError('portal answered 503');
    });
    await q.add('flaky', { account: 'a' }, { retry: { attempts: 5, backoffMs: 100 } });
    await q.start();
    await waitFor(() => at.length === 3);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(95);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(195);
    await waitFor(async () => (await q.counts()).active === 0);
    expect(await q.failed()).toEqual([]);
  });

  it('waits at least what a rate limit asks for', async () => {
    prefix = uniquePrefix();
    const q = await make();
    const at: number[] = [];
    q.handle('limited', async () => {
      at.push(Date.now());
      if (at.length === 1) throw new RateLimitedError('QUERY_LIMIT_EXCEEDED', { retryAfterMs: 600 });
    });
    await q.add('limited', { account: 'a' }, { retry: { attempts: 3, backoffMs: 10 } });
    await q.start();
    await waitFor(() => at.length === 2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(590);
  });

  it('fails a non-retryable error at once, with its reason', async () => {
    prefix = uniquePrefix();
    const q = await make();
    let runs = 0;
    q.handle('bad', async () => {
      runs += 1;
      throw new ValidationError('deal 7: amount is not a number');
    });
    await q.add('bad', { account: 'a' }, { id: jobId('bad', 'a', 7), retry: { attempts: 5, backoffMs: 10 } });
    await q.start();
    await waitFor(async () => (await q.counts()).failed === 1);
    expect(runs).toBe(1);
    expect(await q.failed()).toEqual([
      { id: 'bad.a.7', name: 'bad', reason: 'deal 7: amount is not a number', attempts: 1 },
    ]);
  });

  it('fails a retryable error once its attempts are spent', async () => {
    prefix = uniquePrefix();
    const q = await make();
    let runs = 0;
    q.handle('down', async () => {
      runs += 1;
      throw new TransientError('connection reset');
    });
    await q.add('down', { account: 'a' }, { retry: { attempts: 3, backoffMs: 20 } });
    await q.start();
    await waitFor(async () => (await q.counts()).failed === 1);
    expect(runs).toBe(3);
  });

  it('schedules periodic work once, however many processes ask for it', async () => {
    prefix = uniquePrefix();
    const q1 = await make();
    const q2 = shared ? await make() : q1;
    let runs = 0;
    for (const q of new Set([q1, q2])) {
      q.handle('poll-users', async () => {
        runs += 1;
      });
    }
    const id = jobId('poll-users', 'acc-1');
    await q1.every(id, 300, 'poll-users', { account: 'acc-1' });
    await q2.every(id, 300, 'poll-users', { account: 'acc-1' });
    await q1.every(id, 300, 'poll-users', { account: 'acc-1' });
    const t = Date.now();
    await q1.start();
    await q2.start();
    await waitFor(async () => runs >= 4, 10_000);
    // One schedule every 300 ms needs at least three intervals for four runs; several independent
    // timers would get there in about one. (A lower bound on time holds however loaded the machine is.)
    expect(Date.now() - t).toBeGreaterThanOrEqual(850);
  });

  it('lets a running job finish when closing', async () => {
    prefix = uniquePrefix();
    const q = await make();
    let finished = false;
    q.handle('slow', async () => {
      await new Promise((r) => setTimeout(r, 300));
      finished = true;
    });
    await q.add('slow', { account: 'a' });
    await q.start();
    await waitFor(async () => (await q.counts()).active === 1);
    await q.close(5_000);
    expect(finished).toBe(true);
  });
});

describe('job ids on real Redis', () => {
  it('BullMQ rejects ":" and bare integers; jobId() never builds either', async () => {
    const prefix = uniquePrefix();
    const raw = new Queue('raw', { connection: { url: redisUrl }, prefix });
    try {
      await expect(raw.add('x', {}, { jobId: 'sync:acc-1:deals:full' })).rejects.toThrow(/cannot contain :/);
      await expect(raw.add('x', {}, { jobId: 'sync:acc-1' })).rejects.toThrow(/cannot contain :/);
      await expect(raw.add('x', {}, { jobId: '123' })).rejects.toThrow(/cannot be integers/);
      const id = jobId('sync', 'b24:member', 123, 'a.b');
      expect(id).toBe('sync.b24%3Amember.123.a%2Eb');
      const job = await raw.add('x', {}, { jobId: id });
      expect(job.id).toBe(id);
      expect(jobId('sync', 'a.b', 'c')).not.toBe(jobId('sync', 'a', 'b.c'));
    } finally {
      await raw.close();
      await dropPrefix(prefix);
    }
  });
});
