import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/logger.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import type { JobDeps } from '../../src/runtime/jobs.js';
import { MAX_ATTEMPTS, dispatchOutbox } from '../../src/runtime/outbox.js';
import { Store } from '../../src/store/index.js';
import { demoAdapter, demoWrites } from '../fixtures/demo-adapter.js';

describe('outbox dispatch', () => {
  let deps: JobDeps;
  const signal = new AbortController().signal;
  beforeAll(async () => {
    const store = await Store.open({ memory: true });
    await store.accounts.save({ id: 'w1', kind: 'demo', name: 'Write-back' });
    deps = { store, queue: new MemoryQueue(1), log: createLogger('silent'), units: { adapters: [demoAdapter], plugins: [] }, limiter: createRateLimiter() };
  });
  afterAll(() => deps.store.close());

  it('sends each intent once, oldest first; failures keep their reason, retryable ones wait for a later run', async () => {
    const outbox = deps.store.forAccount('w1').outbox;
    await outbox.add([
      { key: 'rating.7.2026-03', adapter: 'demo', kind: 'field', payload: { userId: '7' } },
      { key: 'rating.8.2026-03', adapter: 'demo', kind: 'field', payload: { fail: 'hard' } },
      { key: 'task.9', adapter: 'demo', kind: 'task', payload: { fail: 'soft' } },
      { key: 'other.1', adapter: 'amocrm', kind: 'note', payload: {} },
    ]);
    expect(await dispatchOutbox(deps, 'w1', signal)).toEqual({ sent: 1, failed: 2, deferred: 1 });
    expect(demoWrites).toEqual(['rating.7.2026-03']);
    const failed = await outbox.list('failed');
    expect(failed.map((f) => [f.key, f.lastError])).toEqual([
      ['rating.8.2026-03', 'demo CRM: field UF_RATING does not exist'],
      ['other.1', "intent for amocrm, but the account's adapter is demo"],
    ]);
    const pending = await outbox.list('pending');
    expect(pending.map((p) => [p.key, p.attempts])).toEqual([['task.9', 1]]);
    expect(pending[0]!.lastError).not.toContain('leaked-123');

    // The same intents again change nothing; the retryable one fails for good after its attempts.
    await outbox.add([{ key: 'rating.7.2026-03', adapter: 'demo', kind: 'field', payload: { userId: '7' } }]);
    for (let i = 1; i < MAX_ATTEMPTS; i++) await dispatchOutbox(deps, 'w1', signal);
    expect(demoWrites).toEqual(['rating.7.2026-03']);
    expect((await outbox.list('failed')).find((f) => f.key === 'task.9')?.attempts).toBe(MAX_ATTEMPTS);
    expect(await outbox.list('pending')).toEqual([]);
  });
});
