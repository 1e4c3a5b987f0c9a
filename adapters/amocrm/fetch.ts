import type { EntityName } from '../../src/model/index.js';
import { SvodkaError, type AdapterContext } from '../../src/sdk/index.js';
import { Amo } from './client.js';
import { account } from './pull.js';
import type { AmocrmSettings } from './config.js';

const paths: Partial<Record<EntityName, { path: string; key: string; with?: string }>> = {
  deals: { path: '/api/v4/leads', key: 'leads', with: 'contacts,loss_reason' },
  contacts: { path: '/api/v4/contacts', key: 'contacts' },
  companies: { path: '/api/v4/companies', key: 'companies' },
  activities: { path: '/api/v4/tasks', key: 'tasks' },
};

/** The current state of the records a webhook named, 50 ids a request (filter[id][]). */
export async function fetchByIds(ctx: AdapterContext<AmocrmSettings>, entity: EntityName, ids: readonly string[]): Promise<unknown[]> {
  const p = paths[entity];
  if (!p) throw new SvodkaError('entity_unsupported', `amocrm cannot fetch ${entity} by id`);
  const amo = new Amo(ctx);
  const out: Record<string, unknown>[] = [];
  let extra: ((i: Record<string, unknown>) => Record<string, unknown>) | undefined;
  if (entity === 'deals') {
    const { currency } = await account(amo);
    extra = (i) => ({ ...i, svodkaCurrency: currency });
  }
  for (let i = 0; i < ids.length; i += 50) {
    const query: Record<string, string | number> = { ...(p.with ? { with: p.with } : {}) };
    ids.slice(i, i + 50).forEach((id, k) => (query[`filter[id][${k}]`] = id));
    for await (const page of amo.pages(p.path, p.key, query)) out.push(...page.items.map(extra ?? ((x) => x)));
  }
  return out;
}
