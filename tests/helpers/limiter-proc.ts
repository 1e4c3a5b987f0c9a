// A separate process that takes `n` requests for one account through the shared limiter and prints when.
import { Redis } from 'ioredis';
import { createRateLimiter } from '../../src/queue/index.js';

const [url, prefix, key, perSecond, n, startAt] = process.argv.slice(2);
const redis = new Redis(url!);
const limiter = createRateLimiter(redis, prefix);
const at: number[] = [];
// Both processes begin at the same instant, however long each took to start.
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
for (let i = 0; i < Number(n); i++) {
  await limiter.take(key!, { perSecond: Number(perSecond) });
  at.push(Date.now());
}
process.stdout.write(JSON.stringify(at));
await redis.quit();
