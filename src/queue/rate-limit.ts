import type { Redis } from 'ioredis';
import {
  BurstyRateLimiter,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export interface RateLimit {
  /** Sustained requests per second. */
  perSecond: number;
  /** Extra requests allowed at once on top of the rate (Bitrix24: 50), refilled at `perSecond`. */
  burst?: number;
}

/** Waits until one more request for `key` (an account) fits its limit, in every process together. */
export interface RateLimiter {
  take(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void>;
}

type Consumer = Pick<RateLimiterAbstract, 'consume'> | BurstyRateLimiter;

/**
 * rate-limiter-flexible behind one small interface: shared through Redis when workers run in several
 * processes, in memory when embedded. A burst limit is a second bucket consumed only when the first is empty.
 */
export function createRateLimiter(redis?: Redis, prefix = 'svodka'): RateLimiter {
  const limiters = new Map<string, Consumer>();
  const make = (points: number, duration: number, keyPrefix: string): RateLimiterAbstract =>
    redis
      ? new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix: `${prefix}-rl-${keyPrefix}` })
      : new RateLimiterMemory({ points, duration, keyPrefix });

  const limiter = (limit: RateLimit): Consumer => {
    const name = `${limit.perSecond}-${limit.burst ?? 0}`;
    let l = limiters.get(name);
    if (!l) {
      const steady = make(limit.perSecond, 1, `${name}-s`);
      l = limit.burst
        ? new BurstyRateLimiter(steady, make(limit.burst, Math.ceil(limit.burst / limit.perSecond), `${name}-b`))
        : steady;
      limiters.set(name, l);
    }
    return l;
  };

  return {
    async take(key, limit, signal) {
      const l = limiter(limit);
      for (;;) {
        signal?.throwIfAborted();
        try {
          await l.consume(key, 1);
          return;
        } catch (e) {
          if (!(e instanceof RateLimiterRes)) throw e;
          await new Promise((r) => setTimeout(r, Math.max(5, e.msBeforeNext)));
        }
      }
    },
  };
}
