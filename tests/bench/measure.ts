import type { RateLimiter } from '../../src/queue/index.js';
import { readFileSync } from 'node:fs';

/** Keeps the highest RSS seen; sampled on a timer and whenever a benchmark calls sample() between batches. */
export class RssPeak {
  private peak = process.memoryUsage().rss;
  private readonly timer = setInterval(() => this.sample(), 50);

  constructor() {
    this.timer.unref();
  }

  sample(): number {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    return this.peak;
  }

  stop(): number {
    clearInterval(this.timer);
    return this.sample();
  }
}

export const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);

export const perSec = (count: number, ms: number): number => Math.round((count * 1000) / Math.max(ms, 1));

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (!v) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Linux /proc/stat CPU counters: busy and steal ticks, to tell a slow run from a crowded host. */
export function cpuTicks(): { total: number; steal: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return undefined;
  }
}

/** Share of the machine's CPU time the hypervisor gave to others since `from`. */
export function stealPct(from: ReturnType<typeof cpuTicks>): number | undefined {
  const to = cpuTicks();
  if (!from || !to || to.total === from.total) return undefined;
  return Math.round((1000 * (to.steal - from.steal)) / (to.total - from.total)) / 10;
}

/** A limiter that notes when (ms) each request it let go left, in order. */
export function recording(inner: RateLimiter, sent: number[]): RateLimiter {
  return {
    take: async (key, limit, signal) => {
      await inner.take(key, limit, signal);
      sent.push(performance.now());
    },
  };
}
