import { z } from 'zod';
import { entityNames, type EntityName, type ModelInput } from '../model/index.js';
import type { EntityMapping } from '../sdk/adapter.js';
import { SvodkaError } from '../sdk/errors.js';
import { jobId, type JobQueue } from '../queue/index.js';
import { connect, type JobDeps } from './jobs.js';

/** What an event receiver stores in the inbox: which record changed, or went away. */
export const eventChange = z.object({
  entity: z.enum(entityNames as [EntityName, ...EntityName[]]),
  id: z.string().min(1),
  deleted: z.boolean(),
  event: z.string(),
});
export type EventChange = z.infer<typeof eventChange>;

/** One events job per account at a time; it drains the inbox, so one more added while it runs is a no-op. */
export function enqueueEvents(queue: JobQueue, account: string): Promise<{ id: string }> {
  return queue.add('events', { account }, { id: jobId('events', account), replaceFailed: true });
}

/**
 * Applies an account's received events: the records they name are read again from the source and
 * stored through the usual guard (an older copy never overwrites a newer one); deletes are applied.
 * For each record only its last event counts. Events stay received until this succeeds.
 */
export async function processEvents(deps: JobDeps, account: string, signal: AbortSignal): Promise<number> {
  const c = await connect(deps, account, signal);
  if (!c) return 0;
  let done = 0;
  for (;;) {
    const items = await c.store.inbox.pending(c.adapter.id, 1000);
    if (!items.length) return done;
    const last = new Map<string, EventChange>();
    for (const it of items) {
      const e = eventChange.safeParse(it.payload);
      if (e.success) last.set(`${e.data.entity}\u0000${e.data.id}`, e.data);
    }
    const byEntity = new Map<EntityName, { changed: string[]; deleted: string[] }>();
    for (const e of last.values()) {
      const g = byEntity.get(e.entity) ?? { changed: [], deleted: [] };
      (e.deleted ? g.deleted : g.changed).push(e.id);
      byEntity.set(e.entity, g);
    }
    for (const [entity, g] of byEntity) {
      if (g.deleted.length) await c.store.delete(entity, g.deleted);
      if (!g.changed.length) continue;
      const mapping = c.adapter.entities[entity] as EntityMapping<EntityName> | undefined;
      if (!mapping || !c.adapter.fetch) throw new SvodkaError('entity_unsupported', `${c.adapter.id} cannot read ${entity} by id`);
      const raw = await c.adapter.fetch(c.ctx, entity, g.changed);
      const records = raw.map((r) => mapping.map(r)).filter((r): r is ModelInput<EntityName> => r !== null);
      await c.store.upsert(entity, records);
    }
    await c.store.inbox.processedAll(items.map((i) => i.id));
    done += items.length;
    c.log.info({ events: items.length, records: last.size }, 'events applied');
  }
}
