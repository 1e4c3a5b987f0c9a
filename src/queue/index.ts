import type { Env } from '../config/env.js';
import { BullQueue } from './bullmq-queue.js';
import { MemoryQueue } from './memory-queue.js';
import type { JobQueue } from './types.js';

export * from './types.js';
export { jobId } from './job-id.js';
export { createRateLimiter, type RateLimit, type RateLimiter } from './rate-limit.js';
export { connectRedis } from './bullmq-queue.js';

/** BullMQ when REDIS_URL is set, the in-process queue otherwise. */
export async function openQueue(env: Env): Promise<JobQueue> {
  if (!env.REDIS_URL) return new MemoryQueue(env.SVODKA_CONCURRENCY);
  return BullQueue.open({
    redisUrl: env.REDIS_URL,
    prefix: env.SVODKA_QUEUE_PREFIX,
    concurrency: env.SVODKA_CONCURRENCY,
    lockMs: env.SVODKA_JOB_LOCK_MS,
  });
}
