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

describe.each(drivers)('plugin runs after an undo on $name', ({ open }) => {
  it('sends a write again when a later run plans what an undo took back, and nothing else twice', async () => {
    const opened = await open();
    try {
      await opened.store.accounts.save({ id: 'acc', kind: 'bitrix24', name: 'acc' });
      const store = opened.store.forAccount('acc');
      const db = opened.store.db;
      const at = new Date().toISOString();
      const move = { key: 'stale-data:reassign:deal:5:7', adapter: 'bitrix24', kind: 'reassign', payload: { entity: 'deal', id: '5', toUserId: '7' } };
      const task = { key: 'stale-data:task:deal:5:7', adapter: 'bitrix24', kind: 'task', payload: { title: 'hand-over' } };
      const statusOf = async (key: string) => (await db.query<{ status: string }>('SELECT status FROM outbox WHERE account_id = $1 AND idempotency_key = $2', ['acc', key])).rows[0]?.status;
      const sendAll = () => db.query(`UPDATE outbox SET status = 'done', updated_at = now() WHERE account_id = 'acc' AND status = 'pending'`);
      const save = () => store.pluginRuns.save({ plugin: 'stale-data', startedAt: at, finishedAt: at, summary: {}, results: [], writes: [] });

      const one = await save();
      await store.markRun(one.id, 'applied', [move, task]);
      await sendAll();
      // Run 2 plans the same move before any undo: nothing is sent again.
      const two = await save();
      await store.markRun(two.id, 'applied', [move, task]);
      expect(await statusOf(move.key)).toBe('done');
      // Run 1 is undone (the deal goes back), then run 3 plans the move again: it is sent again; the task is not.
      await store.markRun(one.id, 'undone', [{ key: `undo:${one.id}:${move.key}`, adapter: 'bitrix24', kind: 'reassign', payload: { entity: 'deal', id: '5', toUserId: '3' } }]);
      await sendAll();
      const three = await save();
      await store.markRun(three.id, 'applied', [move, task]);
      expect(await statusOf(move.key)).toBe('pending');
      expect(await statusOf(task.key)).toBe('done');
    } finally {
      await opened.dispose();
    }
  });
});
