import type { EntityName } from '../model/index.js';
import { jobId, type JobQueue } from '../queue/index.js';
import { connect, type JobDeps } from './jobs.js';

export function enqueueReconcile(queue: JobQueue, account: string): Promise<{ id: string }> {
  return queue.add('reconcile', { account }, { id: jobId('reconcile', account), replaceFailed: true });
}

/**
 * Lists every live id of each incrementally synced entity and marks deleted what the source no longer
 * has (deletions no event reported). Only a listing that ran to its end is used, and records stored
 * since it began are left alone.
 */
export async function reconcileAccount(deps: JobDeps, account: string, signal: AbortSignal): Promise<Partial<Record<EntityName, number>>> {
  const c = await connect(deps, account, signal);
  const out: Partial<Record<EntityName, number>> = {};
  if (!c?.adapter.ids) return out;
  for (const entity of Object.keys(c.adapter.entities) as EntityName[]) {
    const began = new Date();
    const present: string[] = [];
    let listed = false;
    for await (const page of c.adapter.ids(c.ctx, entity)) {
      listed = true;
      for (const id of page) present.push(id);
    }
    if (!listed) continue;
    out[entity] = await c.store.reconcile(entity, present, { syncedBefore: began });
    if (out[entity]) c.log.info({ entity, deleted: out[entity] }, 'reconciliation marked records deleted');
  }
  return out;
}
