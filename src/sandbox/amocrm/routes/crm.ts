import { ints, range, withSet, type Call } from '../context.js';
import type { Reply } from '../http.js';
import { halPage, pageOf } from '../paging.js';
import { apply, crmFilters, ordered, QueryCache } from '../query.js';
import { companyOut, contactOut, leadOut } from '../render.js';
import type { Company, Contact, Lead } from '../types.js';

const leadCache = new WeakMap<object, QueryCache<Lead>>();

function filterOf(c: Call): Record<string, unknown> {
  // Without the account's API filtering ("alpha") amoCRM ignores filter[...] on these lists (users' reports; docs silent).
  if (!c.ctx.apiFilter) return {};
  return c.query.filter && typeof c.query.filter === 'object' ? (c.query.filter as Record<string, unknown>) : {};
}

function leadPreds(f: Record<string, unknown>) {
  const preds = crmFilters<Lead>(f);
  const pipes = new Set(ints(f.pipeline_id));
  if (pipes.size) preds.push((l) => pipes.has(l.pipelineId));
  if (f.statuses && typeof f.statuses === 'object') {
    const pairs = Object.values(f.statuses as Record<string, { pipeline_id?: unknown; status_id?: unknown }>).map((s) => `${Number(s?.pipeline_id)}:${Number(s?.status_id)}`);
    const set = new Set(pairs);
    preds.push((l) => set.has(`${l.pipelineId}:${l.statusId}`));
  }
  const price = range(f.price);
  if (price) preds.push((l) => l.price >= price.from && l.price <= price.to);
  for (const [key, prop] of [['closed_at', 'closedAt'], ['closest_task_at', 'closestTaskAt']] as const) {
    const rg = range(f[key]);
    if (rg) preds.push((l) => l[prop] !== null && (l[prop] as number) >= rg.from && (l[prop] as number) <= rg.to);
  }
  return preds;
}

export function listLeads(c: Call): Reply {
  const pg = pageOf(c.query);
  const w = withSet(c.query);
  const t = c.ctx.data.leads;
  const f = filterOf(c);
  const key = JSON.stringify([f, c.query.order ?? null, w.has('only_deleted')]);
  let cache = leadCache.get(t);
  if (!cache) leadCache.set(t, (cache = new QueryCache<Lead>()));
  const rows = cache.get(key, t.version, () => {
    const deleted = w.has('only_deleted');
    return apply(ordered(t, c.query, ['created_at', 'updated_at', 'id']), [(l: Lead) => l.isDeleted === deleted, ...leadPreds(f)]);
  });
  return halPage(c.ctx.base, c.path, c.search, 'leads', rows, pg, (l) => leadOut(c.ctx, l, w));
}

export function getLead(c: Call): Reply {
  const l = c.ctx.data.leads.get(Number(c.params[0]));
  if (!l || l.isDeleted) return { status: 204 };
  return { status: 200, body: leadOut(c.ctx, l, withSet(c.query)) };
}

export function listContacts(c: Call): Reply {
  const pg = pageOf(c.query);
  const w = withSet(c.query);
  const rows = apply(ordered(c.ctx.data.contacts, c.query, ['updated_at', 'id']), [(r: Contact) => !r.isDeleted, ...crmFilters<Contact>(filterOf(c))]);
  return halPage(c.ctx.base, c.path, c.search, 'contacts', rows, pg, (r) => contactOut(c.ctx, r, w));
}

export function getContact(c: Call): Reply {
  const r = c.ctx.data.contacts.get(Number(c.params[0]));
  return r && !r.isDeleted ? { status: 200, body: contactOut(c.ctx, r, withSet(c.query)) } : { status: 204 };
}

export function listCompanies(c: Call): Reply {
  const pg = pageOf(c.query);
  const w = withSet(c.query);
  const rows = apply(ordered(c.ctx.data.companies, c.query, ['updated_at', 'id']), [(r: Company) => !r.isDeleted, ...crmFilters<Company>(filterOf(c))]);
  return halPage(c.ctx.base, c.path, c.search, 'companies', rows, pg, (r) => companyOut(c.ctx, r, w));
}

export function getCompany(c: Call): Reply {
  const r = c.ctx.data.companies.get(Number(c.params[0]));
  return r && !r.isDeleted ? { status: 200, body: companyOut(c.ctx, r, withSet(c.query)) } : { status: 204 };
}
