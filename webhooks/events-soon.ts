import { enqueueEvents } from '../src/runtime/events.js';
import type { Runtime } from '../src/runtime/runtime.js';

/**
 * One events job per account drains the inbox: a burst of events needs one enqueue, not one each. The
 * enqueue trails the first event of a burst by a moment, so it also covers the ones right after it. (If
 * the process stops inside that moment, the sync tick queues the events job instead.)
 */
export function eventsSoon(rt: Pick<Runtime, 'queue' | 'log'>, delayMs = 200): (account: string) => void {
  const soon = new Map<string, NodeJS.Timeout>();
  return (account) => {
    if (soon.has(account)) return;
    const t = setTimeout(() => {
      soon.delete(account);
      enqueueEvents(rt.queue, account).catch((err: unknown) => rt.log.error({ account, err }, 'events job not queued'));
    }, delayMs);
    t.unref();
    soon.set(account, t);
  };
}
