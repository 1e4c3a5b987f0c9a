import { z } from 'zod';
import type { EntityName } from '../../src/model/index.js';
import { AuthError, SvodkaError, type AdapterContext, type Cursor, type RawPage } from '../../src/sdk/index.js';
import type { Bitrix24Settings } from './config.js';
import { Portal } from './client.js';
import { byId, wholeList, type ListSpec } from './lists.js';
import { followList } from './follow.js';
import { pullDealItems } from './pull-deal-items.js';
import { pullUsers } from './pull-users.js';

type Ctx = AdapterContext<Bitrix24Settings>;

const crmItems = (entityTypeId: number): ListSpec => ({
  method: 'crm.item.list',
  params: { entityTypeId },
  itemsAt: ['items'],
  id: 'id',
  updated: 'updatedTime',
});

/** Long lists followed by update time: a full pass by id, then incremental passes. */
const followed: Partial<Record<EntityName, ListSpec>> = {
  leads: crmItems(1),
  deals: crmItems(2),
  contacts: crmItems(3),
  companies: crmItems(4),
  activities: {
    method: 'crm.activity.list',
    // Only what the model reads: less work for the portal, so the method's operating time lasts longer.
    params: { select: ['ID', 'OWNER_TYPE_ID', 'OWNER_ID', 'TYPE_ID', 'PROVIDER_ID', 'DIRECTION', 'SUBJECT', 'RESPONSIBLE_ID', 'DEADLINE', 'COMPLETED', 'CREATED', 'LAST_UPDATED'] },
    itemsAt: [],
    id: 'ID',
    updated: 'LAST_UPDATED',
  },
};

/** Small lists, read whole every time (so that what disappeared is noticed). */
const whole: Partial<Record<EntityName, ListSpec>> = {
  departments: { method: 'department.get', itemsAt: [], id: 'ID' },
  stages: { method: 'crm.status.list', params: { order: { SORT: 'ASC' } }, itemsAt: [], id: 'ID' },
  warehouses: { method: 'catalog.store.list', params: { select: ['id', 'title', 'code', 'active'] }, itemsAt: ['stores'], id: 'id' },
  prices: { method: 'catalog.price.list', params: { select: ['id', 'productId', 'catalogGroupId', 'price', 'currency'] }, itemsAt: ['prices'], id: 'id' },
  stock: { method: 'catalog.storeproduct.list', params: { select: ['id', 'productId', 'storeId', 'amount'] }, itemsAt: ['storeProducts'], id: 'id' },
};

/** Every live id of a followed list, read fast (ids only), for the reconciliation of deletions. */
export async function* ids(ctx: Ctx, entity: EntityName): AsyncIterable<readonly string[]> {
  const spec = followed[entity];
  if (!spec) return;
  const portal = await Portal.open(ctx);
  const slim: ListSpec = { ...spec, params: { ...spec.params, select: [spec.id] } };
  for await (const page of byId(portal, slim, 0, () => ({}))) {
    yield (page.items as Record<string, unknown>[]).map((i) => String(i[spec.id]));
  }
}

/** Stage history is append-only: each entity type is read by id from where it stopped. */
const historyCursor = z.object({ lead: z.int().nonnegative(), deal: z.int().nonnegative() });

async function* pullHistory(portal: Portal, cursor: Cursor | null): AsyncIterable<RawPage> {
  const at = cursor === null ? { lead: 0, deal: 0 } : historyCursor.parse(cursor);
  for (const [entity, entityTypeId] of [['lead', 1], ['deal', 2]] as const) {
    const spec: ListSpec = {
      method: 'crm.stagehistory.list',
      params: { entityTypeId },
      itemsAt: ['items'],
      id: 'ID',
      enrich: (item) => ({ ...item, entityTypeId }),
    };
    yield* byId(portal, spec, at[entity], (afterId) => {
      at[entity] = afterId;
      return { ...at };
    });
  }
}

async function* pullPipelines(portal: Portal): AsyncIterable<RawPage> {
  const deals = await portal.call<{ categories?: unknown[] }>('crm.category.list', { entityTypeId: 2 });
  const leads = { id: 0, name: 'Лиды', sort: 0, entityTypeId: 1, isDefault: 'Y' };
  yield { items: [leads, ...(deals.result.categories ?? [])], cursor: null, complete: true };
}

async function* pullProducts(portal: Portal): AsyncIterable<RawPage> {
  const catalogs = await portal.call<{ catalogs?: { iblockId?: number; id?: number }[] }>('catalog.catalog.list', {
    select: ['id', 'iblockId', 'productIblockId'],
  });
  const ids = (catalogs.result.catalogs ?? []).map((c) => c.iblockId ?? c.id).filter((x): x is number => typeof x === 'number');
  const pages: RawPage[] = [];
  for (const iblockId of ids) {
    const spec: ListSpec = {
      method: 'catalog.product.list',
      params: { select: ['id', 'iblockId', 'name', 'active', 'xmlId', 'code', 'timestampX'], filter: { iblockId } },
      itemsAt: ['products'],
      id: 'id',
    };
    for await (const p of wholeList(portal, spec)) pages.push({ ...p, complete: false });
  }
  // Complete only once every catalog was read.
  for (const [i, p] of pages.entries()) yield { ...p, complete: i === pages.length - 1 };
  if (!pages.length) yield { items: [], cursor: null, complete: true };
}

const catalog = new Set<EntityName>(['products', 'prices', 'warehouses', 'stock']);

/** The catalog needs the `catalog` scope, which many webhooks lack: then there is simply no catalog to read. */
async function* orNoCatalog(ctx: Ctx, entity: EntityName, pages: AsyncIterable<RawPage>): AsyncIterable<RawPage> {
  try {
    yield* pages;
  } catch (e) {
    if (!(e instanceof AuthError) && !/ACCESS_DENIED|insufficient_scope|METHOD_NOT_FOUND/i.test((e as Error).message)) throw e;
    ctx.log.warn({ entity, reason: (e as Error).message }, 'bitrix24 catalog not readable with these credentials: skipped');
  }
}

export async function* pull(ctx: Ctx, entity: EntityName, cursor: Cursor | null): AsyncIterable<RawPage> {
  if (catalog.has(entity)) return yield* orNoCatalog(ctx, entity, pullOne(ctx, entity, cursor));
  return yield* pullOne(ctx, entity, cursor);
}

async function* pullOne(ctx: Ctx, entity: EntityName, cursor: Cursor | null): AsyncIterable<RawPage> {
  const portal = await Portal.open(ctx);
  const spec = followed[entity];
  if (spec) return yield* followList(portal, spec, cursor);
  const list = whole[entity];
  if (list) return yield* wholeList(portal, list);
  switch (entity) {
    case 'users':
      return yield* pullUsers(portal);
    case 'pipelines':
      return yield* pullPipelines(portal);
    case 'stage_changes':
      return yield* pullHistory(portal, cursor);
    case 'deal_items':
      return yield* pullDealItems(portal, cursor);
    case 'products':
      return yield* pullProducts(portal);
    default:
      throw new SvodkaError('entity_unsupported', `bitrix24 does not sync ${entity}`);
  }
}
