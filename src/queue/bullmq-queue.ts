import { Queue, UnrecoverableError, Worker, type Job as BullJob, type MinimalJob } from 'bullmq';
import { Redis } from 'ioredis';
import { RateLimitedError, SvodkaError, isRetryable } from '../sdk/errors.js';
import {
  backoffDelay,
  defaultRetry,
  type AddOptions,
  type FailedJob,
  type Handler,
  type JobData,
  type JobQueue,
  type QueueCounts,
} from './types.js';

const QUEUE = 'jobs';

export interface BullOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  lockMs: number;
}

/** Opens a Redis connection and proves it answers, with a clear error when it does not. */
export async function connectRedis(url: string, purpose: string): Promise<Redis> {
  let connected = false;
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectTimeout: 5_000,
    // Fail at once when Redis is not there at start; once connected, ride out restarts.
    retryStrategy: (times) => (connected ? Math.min(times * 200, 2_000) : null),
  });
  let lastError: Error | undefined;
  redis.on('error', (e: Error) => (lastError = e));
  try {
    await redis.connect();
    await redis.ping();
    connected = true;
  } catch (e) {
    redis.disconnect();
    const where = new URL(url);
    const reason = (lastError ?? (e as Error)).message;
    throw new SvodkaError('redis_unreachable', `cannot connect to Redis at ${where.host} (${purpose}): ${reason}`, {
      cause: e,
    });
  }
  return redis;
}

/** BullMQ on Redis: any number of workers in any number of processes share the jobs. */
export class BullQueue implements JobQueue {
  readonly kind = 'bullmq';
  private readonly handlers = new Map<string, Handler>();
  private readonly queue: Queue;
  private worker: Worker | undefined;

  private constructor(
    private readonly redis: Redis,
    private readonly options: BullOptions,
  ) {
    this.queue = new Queue(QUEUE, { connection: redis, prefix: options.prefix });
  }

  static async open(options: BullOptions): Promise<BullQueue> {
    return new BullQueue(await connectRedis(options.redisUrl, 'job queue'), options);
  }

  handle<D extends JobData>(name: string, handler: Handler<D>): void {
    this.handlers.set(name, handler as Handler);
  }

  async add<D extends JobData>(name: string, data: D, options: AddOptions = {}): Promise<{ id: string }> {
    const retry = { ...defaultRetry, ...options.retry };
    if (options.id && options.replaceFailed) {
      const old = await this.queue.getJob(options.id);
      if (old && (await old.isFailed())) await old.remove();
    }
    const job = await this.queue.add(name, data, {
      ...(options.id ? { jobId: options.id } : {}),
      ...(options.delayMs ? { delay: options.delayMs } : {}),
      attempts: retry.attempts,
      backoff: { type: 'svodka', delay: retry.backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 1000 },
    });
    return { id: job.id ?? options.id ?? '' };
  }

  async every<D extends JobData>(schedulerId: string, everyMs: number, name: string, data: D): Promise<void> {
    await this.queue.upsertJobScheduler(
      schedulerId,
      { every: everyMs },
      {
        name,
        data,
        opts: {
          attempts: defaultRetry.attempts,
          backoff: { type: 'svodka', delay: defaultRetry.backoffMs },
          removeOnComplete: true,
          removeOnFail: { count: 1000 },
        },
      },
    );
  }

  async unschedule(schedulerId: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId);
  }

  async start(): Promise<void> {
    if (this.worker) return;
    // The worker needs a connection of its own (it blocks on Redis while waiting for jobs).
    this.worker = new Worker(QUEUE, (job) => this.process(job), {
      connection: this.redis.duplicate(),
      prefix: this.options.prefix,
      concurrency: this.options.concurrency,
      lockDuration: this.options.lockMs,
      stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)),
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error, job?: MinimalJob) => {
          const base = (job?.opts.backoff as { delay?: number } | undefined)?.delay ?? defaultRetry.backoffMs;
          const after = err instanceof RateLimitedError ? err.retryAfterMs : undefined;
          return backoffDelay({ attempts: 0, backoffMs: base }, attemptsMade, after);
        },
      },
    });
    this.worker.on('error', () => undefined);
    await this.worker.waitUntilReady();
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
  }

  async failed(limit = 100): Promise<FailedJob[]> {
    const jobs = await this.queue.getFailed(0, limit - 1);
    return jobs.map((j) => ({ id: j.id ?? '', name: j.name, reason: j.failedReason, attempts: j.attemptsMade }));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(timeoutMs = 15_000): Promise<void> {
    if (this.worker) {
      // close() waits for running jobs; past the timeout they are left to stall and be taken over.
      const closing = this.worker.close();
      const timer = new Promise<void>((r) => setTimeout(r, timeoutMs).unref());
      await Promise.race([closing, timer]);
      if (this.worker.isRunning()) await this.worker.close(true);
    }
    await this.queue.close();
    await this.redis.quit().catch(() => undefined);
  }

  private async process(job: BullJob): Promise<void> {
    const handler = this.handlers.get(job.name);
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    try {
      await handler({ id: job.id ?? '', name: job.name, data: job.data as JobData, attempt: job.attemptsMade + 1 });
    } catch (e) {
      if (isRetryable(e)) throw e;
      // BullMQ retries every error unless told otherwise: ours decide by `retryable`.
      throw new UnrecoverableError(e instanceof Error ? e.message : String(e));
    }
  }
}
