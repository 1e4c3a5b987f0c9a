import type { AdapterContext, AdapterDef, EntityMapping } from '../sdk/adapter.js';
import { SvodkaError, TransientError, ValidationError } from '../sdk/errors.js';
import type { EntityName, ModelInput } from '../model/index.js';
import type { AccountStore } from '../store/index.js';

export interface SyncCounts {
  pages: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface SyncEntityArgs {
  store: AccountStore;
  adapter: AdapterDef;
  ctx: AdapterContext<unknown>;
  entity: EntityName;
  onPage?: (counts: SyncCounts) => void;
}

/**
 * Pulls one entity from its cursor on, a page at a time; each page is stored with its cursor in one
 * transaction, so a crash between pages resumes after the last stored page, losing and repeating nothing.
 */
export async function syncEntity(args: SyncEntityArgs): Promise<SyncCounts> {
  const { store, adapter, entity, ctx } = args;
  const { log, signal } = ctx;
  const mapping = adapter.entities[entity] as EntityMapping<EntityName> | undefined;
  if (!mapping) throw new SvodkaError('entity_unsupported', `${adapter.id} does not sync ${entity}`);
  const total: SyncCounts = { pages: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
  const cursor = await store.cursor(adapter.id, entity);
  // Ids seen in this pull, for a pull that ends with a complete page (see RawPage.complete).
  const seen: string[] = [];
  for await (const page of adapter.pull(ctx, entity, cursor)) {
    // Stopping between pages is safe: what is stored has its cursor. Retryable, so another worker resumes.
    if (signal.aborted) throw new TransientError('sync stopped by shutdown', { code: 'shutdown' });
    const records: ModelInput<EntityName>[] = [];
    page.items.forEach((raw, i) => {
      let r: ModelInput<EntityName> | null;
      try {
        r = mapping.map(raw);
      } catch (e) {
        throw new ValidationError(`${adapter.id} ${entity}: item #${i} of page ${total.pages + 1} cannot be mapped`, [
          (e as Error).message,
        ]);
      }
      if (r) records.push(r);
    });
    for (const r of records) seen.push(r.externalId);
    const counts = await store.applyPage({
      adapter: adapter.id,
      entity,
      records,
      deleted: page.deleted ?? [],
      cursor: page.cursor,
    });
    total.pages += 1;
    total.inserted += counts.inserted;
    total.updated += counts.updated;
    total.unchanged += counts.unchanged;
    total.deleted += counts.deleted;
    if (page.complete) total.deleted += await store.reconcile(entity, seen);
    args.onPage?.(total);
  }
  log.info({ entity, ...total }, 'entity synced');
  return total;
}
