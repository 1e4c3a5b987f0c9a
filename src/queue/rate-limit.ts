import type { Redis } from 'ioredis';

export interface RateLimit {
  /** Sustained requests per second: the bucket drains at this rate. */
  perSecond: number;
  /** How many requests may go at once on an idle account (the bucket's size; Bitrix24: 50). Default: perSecond. */
  burst?: number;
}

/** Waits until one more request for `key` (an account) fits its limit, in every process together. */
export interface RateLimiter {
  take(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void>;
}

/**
 * The leaky bucket as GCRA: each key keeps a theoretical arrival time (TAT). A request at `now` fits
 * when TAT - now <= (burst - 1) * interval; it then moves TAT to max(TAT, now) + interval. Otherwise it
 * must wait TAT - now - tolerance. Exactly the portal's bucket (drain `perSecond`, size `burst`), with
 * one number per key and no fixed windows.
 */
export function gcra(tat: number, now: number, limit: RateLimit): { waitMs: number; tat: number } {
  const interval = 1000 / limit.perSecond;
  const tolerance = (Math.max(1, limit.burst ?? Math.ceil(limit.perSecond)) - 1) * interval;
  const start = Math.max(tat, now);
  if (start - now > tolerance) return { waitMs: start - now - tolerance, tat };
  return { waitMs: 0, tat: start + interval };
}

/** The same decision, atomically in Redis; the server's clock is the one clock of every process. */
const script = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(tat, now)
if start - now > tolerance then
  return start - now - tolerance
end
redis.call('SET', KEYS[1], tostring(start + interval), 'PX', math.ceil(start + interval - now + 1000))
return 0
`;

type Decide = (key: string, limit: RateLimit) => Promise<number>;

function memory(): Decide {
  const tats = new Map<string, number>();
  return async (key, limit) => {
    const now = performance.timeOrigin + performance.now();
    const d = gcra(tats.get(key) ?? 0, now, limit);
    if (!d.waitMs) tats.set(key, d.tat);
    return d.waitMs;
  };
}

function shared(redis: Redis, prefix: string): Decide {
  redis.defineCommand('svodkaGcra', { numberOfKeys: 1, lua: script });
  const call = (redis as unknown as { svodkaGcra(k: string, i: string, t: string): Promise<number> }).svodkaGcra.bind(redis);
  return async (key, limit) => {
    const interval = 1000 / limit.perSecond;
    const tolerance = (Math.max(1, limit.burst ?? Math.ceil(limit.perSecond)) - 1) * interval;
    return Number(await call(`${prefix}:rl:${key}:${limit.perSecond}:${limit.burst ?? 0}`, String(interval), String(tolerance)));
  };
}

/** Shared through Redis when workers run in several processes, in memory when embedded. */
export function createRateLimiter(redis?: Redis, prefix = 'svodka'): RateLimiter {
  const decide = redis ? shared(redis, prefix) : memory();
  return {
    async take(key, limit, signal) {
      for (;;) {
        signal?.throwIfAborted();
        const waitMs = await decide(key, limit);
        if (waitMs <= 0) return;
        await new Promise((r) => setTimeout(r, Math.max(1, Math.ceil(waitMs))));
      }
    },
  };
}
