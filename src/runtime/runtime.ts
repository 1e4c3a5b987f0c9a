import type { Redis } from 'ioredis';
import { storeConfig, type Env } from '../config/env.js';
import { createLogger, type Logger } from '../log/logger.js';
import { connectRedis, createRateLimiter, openQueue, type JobQueue } from '../queue/index.js';
import { Store } from '../store/index.js';
import { registerJobs, scheduleAccounts, type JobDeps } from './jobs.js';
import { defaultUnits, type Units } from './registry.js';

export interface Runtime extends JobDeps {
  env: Env;
  /** Aborted when shutting down: long jobs stop between pages. */
  signal: AbortSignal;
  /** Starts taking jobs and schedules the periodic work (the worker role). */
  startWorker(): Promise<void>;
  close(): Promise<void>;
}

export async function openRuntime(env: Env, options: { units?: Units; log?: Logger } = {}): Promise<Runtime> {
  const log = options.log ?? createLogger(env.LOG_LEVEL);
  const units = options.units ?? (await defaultUnits());
  const store = await Store.open(storeConfig(env));
  let queue: JobQueue;
  let redis: Redis | undefined;
  try {
    queue = await openQueue(env);
    if (env.REDIS_URL) redis = await connectRedis(env.REDIS_URL, 'rate limiter');
  } catch (e) {
    await store.close();
    throw e;
  }
  const abort = new AbortController();
  const deps: JobDeps = { store, queue, log, units, limiter: createRateLimiter(redis, env.SVODKA_QUEUE_PREFIX) };
  registerJobs(deps, abort.signal);
  let closed = false;
  return {
    ...deps,
    env,
    signal: abort.signal,
    async startWorker() {
      await queue.start();
      const n = await scheduleAccounts(deps, env.SVODKA_SYNC_EVERY_S * 1000);
      log.info({ accounts: n, queue: queue.kind }, 'worker started');
    },
    async close() {
      if (closed) return;
      closed = true;
      // Running syncs stop after their current page; the queue then waits for them and closes.
      abort.abort();
      await queue.close(env.SVODKA_SHUTDOWN_MS);
      await redis?.quit().catch(() => undefined);
      await store.close();
    },
  };
}
