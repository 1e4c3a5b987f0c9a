import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { Store } from '../../src/store/index.js';
import { deal } from '../helpers/fixtures.js';
import { freshDatabase } from '../helpers/postgres.js';

/**
 * A first sync's rows go in by COPY when none of them is stored. Two writers on the real Postgres: one
 * stores an id inside an open transaction, the other's COPY of the same id waits on the primary key,
 * fails when the first commits, and its rows take the guarded upsert path instead: nothing lost, the
 * newer copy kept, counts right.
 */
describe('bulk insert racing another writer (postgres)', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let first: Store;
  let second: Store;

  beforeAll(async () => {
    db = await freshDatabase();
    first = await Store.open({ databaseUrl: db.url });
    second = await Store.open({ databaseUrl: db.url });
    await first.accounts.save({ id: 'race', kind: 'bitrix24', name: 'Race' });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await db.drop();
  });

  const waitingOnLock = async () =>
    Number(
      (await first.db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).rows[0]?.n,
    );

  it('falls back from COPY to the upsert when the other writer commits the same id first', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const older = deal('r-0', { title: 'older', updatedAt: '2026-01-11T10:00:00.000Z', createdAt: '2026-01-10T06:00:00.000Z' });
    const holding = first.forAccount('race').together(async (w) => {
      await w.upsert('deals', [older]);
      await held;
    });
    const page = Array.from({ length: 2_000 }, (_, i) =>
      deal(`r-${i}`, { title: i ? `new ${i}` : 'newer', updatedAt: '2026-01-12T10:00:00.000Z', createdAt: '2026-01-10T06:00:00.000Z' }),
    );
    const racing = second.forAccount('race').upsert('deals', page);
    for (let i = 0; i < 200 && (await waitingOnLock()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await waitingOnLock()).toBe(1);
    release();
    await holding;
    expect(await racing).toEqual({ inserted: 1_999, updated: 1, unchanged: 0 });
    const acc = second.forAccount('race');
    expect(await acc.count('deals')).toBe(2_000);
    expect((await acc.get('deals', 'r-0'))?.record.title).toBe('newer');
  });

  it('starts another process while a long read holds the tables: an unchanged schema takes no lock', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const reading = first.forAccount('race').readScoped(['deals'], async (q) => {
      await q.query('SELECT count(*) FROM deals');
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const started = Date.now();
    // A third process starting now: with the schema re-applied, its ALTER TABLE would wait for the read.
    const third = await Store.open({ databaseUrl: db.url });
    expect(await migrate(third.db)).toEqual({ applied: [] });
    expect(Date.now() - started).toBeLessThan(5_000);
    await third.close();
    release();
    await reading;
  });
});
