import type { EntityName } from '../../src/model/index.js';
import { SvodkaError, type AdapterContext } from '../../src/sdk/index.js';
import { maxBatch, Portal, type Params } from './client.js';
import type { Bitrix24Settings } from './config.js';
import { itemsOf, pageSize, type ListSpec } from './lists.js';

const specs: Partial<Record<EntityName, ListSpec>> = {
  leads: { method: 'crm.item.list', params: { entityTypeId: 1 }, itemsAt: ['items'], id: 'id' },
  deals: { method: 'crm.item.list', params: { entityTypeId: 2 }, itemsAt: ['items'], id: 'id' },
  contacts: { method: 'crm.item.list', params: { entityTypeId: 3 }, itemsAt: ['items'], id: 'id' },
  companies: { method: 'crm.item.list', params: { entityTypeId: 4 }, itemsAt: ['items'], id: 'id' },
  activities: { method: 'crm.activity.list', itemsAt: [], id: 'ID' },
};

/** The current state of the items an event named, 50 ids per command and up to 50 commands per request. */
export async function fetchByIds(ctx: AdapterContext<Bitrix24Settings>, entity: EntityName, ids: readonly string[]): Promise<unknown[]> {
  const spec = specs[entity];
  if (!spec) throw new SvodkaError('entity_unsupported', `bitrix24 cannot fetch ${entity} by id`);
  if (!ids.length) return [];
  const portal = await Portal.open(ctx);
  const groups: string[][] = [];
  for (let i = 0; i < ids.length; i += pageSize) groups.push(ids.slice(i, i + pageSize) as string[]);
  const out: unknown[] = [];
  for (let i = 0; i < groups.length; i += maxBatch) {
    const now = groups.slice(i, i + maxBatch);
    const cmds: Record<string, [string, Params]> = {};
    now.forEach((g, k) => {
      cmds[`f${k}`] = [spec.method, { ...spec.params, filter: { [`@${spec.id}`]: g } }];
    });
    const b = await portal.batch(cmds);
    now.forEach((_, k) => {
      const r = b.results[`f${k}`];
      if (!r) throw new SvodkaError('bitrix24_fetch', `Bitrix24 ${spec.method}: ${b.errors[`f${k}`]?.message ?? 'no answer'}`);
      out.push(...itemsOf(spec, r.result));
    });
  }
  return out;
}
