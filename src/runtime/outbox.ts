import { redactSecrets } from '../log/redact.js';
import { jobId, type JobQueue } from '../queue/index.js';
import { SvodkaError, isRetryable } from '../sdk/errors.js';
import { connect, type JobDeps } from './jobs.js';

/** An intent is tried at most this many times; then it ends as failed with its last reason. */
export const MAX_ATTEMPTS = 5;

export interface DispatchCounts {
  sent: number;
  failed: number;
  /** Left pending for a later run after a retryable failure. */
  deferred: number;
}

export function enqueueOutbox(queue: JobQueue, account: string): Promise<{ id: string }> {
  return queue.add('outbox', { account }, { id: jobId('outbox', account), replaceFailed: true });
}

/**
 * Sends an account's pending write-back intents through its adapter, oldest first. Each intent is
 * claimed before it is sent, so two workers never send the same one; the adapter's write is idempotent
 * on the intent's key, so a crash between sending and marking done repeats nothing harmful.
 */
export async function dispatchOutbox(deps: JobDeps, account: string, signal: AbortSignal): Promise<DispatchCounts> {
  const counts: DispatchCounts = { sent: 0, failed: 0, deferred: 0 };
  const c = await connect(deps, account, signal);
  if (!c) return counts;
  for (;;) {
    const batch = await c.store.outbox.claim(50);
    if (!batch.length) return counts;
    const outcome = async (item: (typeof batch)[number], e: unknown) => {
      if (e === undefined) {
        await c.store.outbox.done(item.id);
        counts.sent += 1;
        return;
      }
      const again = isRetryable(e) && item.attempts < MAX_ATTEMPTS;
      await c.store.outbox.fail(item.id, redactSecrets(e instanceof Error ? e.message : String(e)), again);
      if (again) counts.deferred += 1;
      else counts.failed += 1;
      c.log.warn({ key: item.key, kind: item.kind, retry: again, err: e }, 'write-back failed');
    };
    const mine = batch.filter((item) => item.adapter === c.adapter.id);
    for (const item of batch) {
      if (item.adapter !== c.adapter.id) {
        await outcome(item, new SvodkaError('intent_invalid', `intent for ${item.adapter}, but the account's adapter is ${c.adapter.id}`));
      }
    }
    if (c.adapter.writeBatch) {
      let errors: Map<string, Error>;
      try {
        errors = await c.adapter.writeBatch(c.ctx, mine);
      } catch (e) {
        // The whole batch failed before any answer: every intent in it shares the error.
        errors = new Map(mine.map((i) => [i.key, e as Error]));
      }
      for (const item of mine) await outcome(item, errors.get(item.key));
    } else {
      for (const item of mine) {
        try {
          if (!c.adapter.write) throw new SvodkaError('write_unsupported', `${c.adapter.id} does not write back`);
          await c.adapter.write(c.ctx, item);
          await outcome(item, undefined);
        } catch (e) {
          await outcome(item, e);
        }
      }
    }
    // A deferred intent waits for the next run (its backoff), not for this loop to spin on it.
    if (counts.deferred) return counts;
  }
}
