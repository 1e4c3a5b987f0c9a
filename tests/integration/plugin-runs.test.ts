import { describe, expect, it } from 'vitest';
import { drivers } from '../helpers/drivers.js';

describe.each(drivers)('plugin runs on $name', ({ open }) => {
  it('marks a run applied and queues its writes together, or neither', async () => {
    const opened = await open();
    try {
      await opened.store.accounts.save({ id: 'acc', kind: 'bitrix24', name: 'acc' });
      const store = opened.store.forAccount('acc');
      const at = new Date().toISOString();
      const run = await store.pluginRuns.save({ plugin: 'stale-data', startedAt: at, finishedAt: at, summary: {}, results: [], writes: [] });
      const good = { key: 'stale:task:1', adapter: 'bitrix24', kind: 'task', payload: { title: 'x' } };
      // An intent the outbox refuses (no kind) fails the whole step: the run is not left marked applied.
      await expect(store.markRun(run.id, 'applied', [good, { key: 'bad', adapter: 'bitrix24', payload: {} } as never])).rejects.toThrow();
      expect((await store.pluginRuns.get(run.id))!.appliedAt).toBeNull();
      expect((await opened.store.db.query('SELECT 1 FROM outbox WHERE account_id = $1', ['acc'])).rows).toHaveLength(0);
      expect(await store.markRun(run.id, 'applied', [good])).toBe(true);
      expect(await store.markRun(run.id, 'applied', [good, { ...good, key: 'stale:task:2' }])).toBe(false);
      expect((await opened.store.db.query('SELECT idempotency_key FROM outbox WHERE account_id = $1', ['acc'])).rows).toEqual([{ idempotency_key: 'stale:task:1' }]);
      expect((await store.pluginRuns.get(run.id))!.appliedAt).not.toBeNull();
    } finally {
      await opened.dispose();
    }
  });
});
