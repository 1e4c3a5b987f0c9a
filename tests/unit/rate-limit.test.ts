import { describe, expect, it } from 'vitest';
import { gcra, type RateLimit } from '../../src/queue/rate-limit.js';

/** Bitrix24's own bucket: +1 per request, draining `perSecond`, a request refused above `burst`. */
function portalBucket(limit: Required<RateLimit>) {
  let level = 0;
  let at = 0;
  return (now: number): boolean => {
    level = Math.max(0, level - ((now - at) / 1000) * limit.perSecond);
    at = now;
    if (level + 1 > limit.burst + 1e-9) return false;
    level += 1;
    return true;
  };
}

describe('leaky bucket (GCRA)', () => {
  it('lets the burst go at once, then exactly the rate', () => {
    const limit = { perSecond: 2, burst: 50 };
    let tat = 0;
    const sent: number[] = [];
    for (let now = 0; sent.length < 60; ) {
      const d = gcra(tat, now, limit);
      if (d.waitMs) now += d.waitMs;
      else {
        tat = d.tat;
        sent.push(now);
      }
    }
    expect(sent.slice(0, 50).every((t) => t === 0)).toBe(true);
    expect(sent.slice(50)).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500, 5000]);
  });

  it('is never refused by the portal’s bucket of the same size, whatever the arrival pattern', () => {
    const limit = { perSecond: 2, burst: 50 };
    const portal = portalBucket(limit);
    let tat = 0;
    let now = 0;
    let refused = 0;
    // A pseudo-random pattern of pauses and bursts over ten minutes.
    for (let i = 0, x = 7; now < 600_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      now += x % 10 === 0 ? x % 20_000 : x % 7;
      for (;;) {
        const d = gcra(tat, now, limit);
        if (!d.waitMs) {
          tat = d.tat;
          break;
        }
        now += d.waitMs;
      }
      if (!portal(now)) refused += 1;
    }
    expect(refused).toBe(0);
  });
});
