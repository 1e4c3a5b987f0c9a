import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BullQueue } from '../../src/queue/bullmq-queue.js';
import { enqueueSync } from '../../src/runtime/jobs.js';
import { Store } from '../../src/store/index.js';
import { freshDatabase } from '../helpers/postgres.js';
import { dropPrefix, redisUrl, uniquePrefix, waitFor } from '../helpers/redis.js';
import { collect, spawnTs } from '../helpers/spawn.js';

describe('scale and crash safety (real Postgres and Redis, separate processes)', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  it('holds one account request limit across two worker processes together', async () => {
    const prefix = uniquePrefix();
    cleanup.push(() => dropPrefix(prefix));
    const perSecond = 10;
    const startAt = String(Date.now() + 5_000);
    const runs = [1, 2].map(() =>
      collect(spawnTs('tests/helpers/limiter-proc.ts', [redisUrl, prefix, 'acc-1', String(perSecond), '20', startAt])),
    );
    const done = await Promise.all(runs);
    for (const d of done) expect(d.code, d.stderr).toBe(0);
    const [p1, p2] = done.map((d) => JSON.parse(d.stdout) as number[]);
    const all = [...p1!, ...p2!].sort((a, b) => a - b);
    const t0 = all[0]!;
    // Both processes were served side by side: neither waited for the other to finish. (Which one wins
    // the first window is a race, so the test asserts interleaving, not who came first.)
    expect(Math.max(p1![0]!, p2![0]!)).toBeLessThan(Math.min(p1!.at(-1)!, p2!.at(-1)!));
    // A leaky bucket of 10 draining 10/s: over any stretch of time, at most 10 plus 10 per second
    // (a few ms of slack for the clocks of two processes).
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        expect(j - i + 1, `requests ${i}..${j}`).toBeLessThanOrEqual(perSecond + Math.floor(((all[j]! - all[i]! + 20) * perSecond) / 1000));
      }
    }
    // 40 requests: 10 at once, then 30 more at 10/s.
    expect(all.at(-1)! - t0).toBeGreaterThanOrEqual(2950);
  });

  it('resumes a multi-page sync from its committed cursor after a worker is killed', async () => {
    const db = await freshDatabase();
    const prefix = uniquePrefix();
    const pageLog = join(mkdtempSync(join(tmpdir(), 'svodka-crash-')), 'pages.log');
    const store = await Store.open({ databaseUrl: db.url });
    cleanup.push(async () => {
      await store.close();
      await db.drop();
      await dropPrefix(prefix);
    });
    await store.accounts.save({
      id: 'crash',
      kind: 'demo',
      name: 'Crash test',
      settings: { total: 600, pageSize: 20, delayMs: 80, pageLog },
    });
    const acc = store.forAccount('crash');
    const env = { DATABASE_URL: db.url, REDIS_URL: redisUrl, SVODKA_QUEUE_PREFIX: prefix, SVODKA_JOB_LOCK_MS: '1500', LOG_LEVEL: 'warn' };
    const queue = await BullQueue.open({ redisUrl, prefix, concurrency: 1, lockMs: 1500 });
    cleanup.push(() => queue.close(1000));

    const a = spawnTs('tests/helpers/worker-proc.ts', [], env);
    const aDone = collect(a);
    await enqueueSync(queue, 'crash');
    const afterId = async () => Number(((await acc.cursor('demo', 'deals')) as { afterId?: number } | null)?.afterId ?? 0);
    await waitFor(async () => (await afterId()) >= 200, 20_000, 'worker A to store 10 pages');
    a.kill('SIGKILL');
    await aDone;
    const committed = await afterId();
    expect(committed).toBeLessThan(600);

    const b = spawnTs('tests/helpers/worker-proc.ts', [], env);
    const bDone = collect(b);
    await waitFor(async () => (await afterId()) === 600, 30_000, 'worker B to finish the sync');
    await waitFor(async () => (await queue.counts()).active === 0, 10_000, 'the job to complete');
    b.kill('SIGTERM');
    expect((await bDone).code).toBe(0);

    expect(await acc.count('deals')).toBe(600);
    const lines = readFileSync(pageLog, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number) as [number, number]);
    const pids = [...new Set(lines.map(([pid]) => pid))];
    expect(pids).toHaveLength(2);
    const byA = lines.filter(([pid]) => pid === pids[0]).map(([, off]) => off);
    const byB = lines.filter(([pid]) => pid === pids[1]).map(([, off]) => off);
    // B starts exactly at the committed cursor and fetches each later page once: nothing lost, nothing redone.
    expect(byB[0]).toBe(committed);
    expect(byB).toEqual(Array.from({ length: (600 - committed) / 20 }, (_, i) => committed + i * 20));
    // A fetched every page before it, once; at most the page in flight at the kill is fetched again.
    expect(byA.filter((o) => o < committed)).toEqual(Array.from({ length: committed / 20 }, (_, i) => i * 20));
    expect(byA.filter((o) => o >= committed).length).toBeLessThanOrEqual(1);
  });
});
