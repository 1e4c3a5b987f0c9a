import { z } from 'zod';
import type { EntityName } from '../../src/model/index.js';
import { SvodkaError, type AdapterContext, type Cursor, type RawPage } from '../../src/sdk/index.js';
import { Amo } from './client.js';
import type { AmocrmSettings } from './config.js';

type Ctx = AdapterContext<AmocrmSettings>;

/** Where an incremental pass resumes: items updated at or after `since` (unix seconds) are read again. */
const since = z.object({ since: z.int().nonnegative() });

interface Account {
  currency: string;
  apiFilter: boolean;
}

/** The account's currency and whether it has the API filter. */
export async function account(amo: Amo): Promise<Account> {
  const r = await amo.request<{ currency?: string; is_api_filter_enabled?: boolean }>('GET', '/api/v4/account', { query: { with: 'is_api_filter_enabled' } });
  const currency = typeof r.data?.currency === 'string' && /^[A-Z]{3}$/.test(r.data.currency) ? r.data.currency : 'RUB';
  return { currency, apiFilter: r.data?.is_api_filter_enabled !== false };
}

/** Field id -> code for the lead fields (the UTM tracking fields have different ids in every account). */
async function fieldCodes(amo: Amo): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for await (const p of amo.pages('/api/v4/leads/custom_fields', 'custom_fields')) {
    for (const f of p.items) if (f.code) out[String(f.id)] = String(f.code);
  }
  return out;
}

/**
 * A list followed by update time: with the account's API filter, only what changed since the last pass
 * (from the same second on: a repeat is a no-op for the store); without it, the whole list every time.
 */
async function* followed(
  amo: Amo,
  path: string,
  key: string,
  cursor: Cursor | null,
  apiFilter: boolean,
  extra: Record<string, string | number> = {},
  enrich: (item: Record<string, unknown>) => Record<string, unknown> = (i) => i,
): AsyncIterable<RawPage> {
  const from = cursor === null ? null : since.parse(cursor).since;
  const query: Record<string, string | number> = { ...extra, 'order[updated_at]': 'asc' };
  if (from !== null && apiFilter) query['filter[updated_at][from]'] = from;
  let max = from ?? 0;
  let any = false;
  for await (const p of amo.pages(path, key, query)) {
    any = true;
    for (const i of p.items) max = Math.max(max, Number(i.updated_at ?? 0));
    yield { items: p.items.map(enrich), cursor: { since: max } };
  }
  if (!any) yield { items: [], cursor: { since: max } };
}

export async function* pull(ctx: Ctx, entity: EntityName, cursor: Cursor | null): AsyncIterable<RawPage> {
  const amo = new Amo(ctx);
  switch (entity) {
    case 'users':
      for await (const p of amo.pages('/api/v4/users', 'users')) yield { items: p.items, cursor: null };
      return;
    case 'pipelines':
    case 'stages': {
      const r = await amo.request<{ _embedded?: { pipelines?: Record<string, unknown>[] } }>('GET', '/api/v4/leads/pipelines');
      const pipelines = r.data?._embedded?.pipelines ?? [];
      const items =
        entity === 'pipelines'
          ? pipelines
          : pipelines.flatMap((p) => (((p._embedded as { statuses?: Record<string, unknown>[] } | undefined)?.statuses ?? []).map((s) => ({ pipeline_id: p.id, ...s }))));
      yield { items, cursor: null, complete: true };
      return;
    }
    case 'deals': {
      const a = await account(amo);
      const codes = await fieldCodes(amo);
      yield* followed(amo, '/api/v4/leads', 'leads', cursor, a.apiFilter, { with: 'contacts,loss_reason' }, (i) => ({ ...i, svodkaCurrency: a.currency, svodkaFieldCodes: codes }));
      return;
    }
    case 'contacts':
    case 'companies': {
      const a = await account(amo);
      yield* followed(amo, `/api/v4/${entity}`, entity, cursor, a.apiFilter);
      return;
    }
    case 'activities': {
      // Tasks, then the calls (call notes) of leads and contacts; each followed by its own update time.
      const at = z.object({ tasks: z.int().optional(), leads: z.int().optional(), contacts: z.int().optional() }).parse(cursor ?? {});
      const sub = (v: number | undefined) => (v === undefined ? null : { since: v });
      for await (const p of followed(amo, '/api/v4/tasks', 'tasks', sub(at.tasks), true)) {
        at.tasks = (p.cursor as { since: number }).since;
        yield { ...p, cursor: { ...at } };
      }
      for (const owner of ['leads', 'contacts'] as const) {
        const calls = { 'filter[note_type][0]': 'call_in', 'filter[note_type][1]': 'call_out' };
        for await (const p of followed(amo, `/api/v4/${owner}/notes`, 'notes', sub(at[owner]), true, calls, (i) => ({ ...i, svodkaOwner: owner }))) {
          at[owner] = (p.cursor as { since: number }).since;
          yield { ...p, cursor: { ...at } };
        }
      }
      return;
    }
    case 'stage_changes': {
      // Events come newest first by default and 100 a page; status changes only, from where the last pass ended.
      const from = cursor === null ? 0 : since.parse(cursor).since;
      let max = from;
      const query: Record<string, string | number> = { 'filter[type]': 'lead_status_changed', 'filter[created_at][from]': from, limit: 100 };
      for await (const p of amo.pages('/api/v4/events', 'events', query)) {
        for (const i of p.items) max = Math.max(max, Number(i.created_at ?? 0));
        yield { items: p.items, cursor: { since: max } };
      }
      return;
    }
    default:
      throw new SvodkaError('entity_unsupported', `amocrm does not sync ${entity}`);
  }
}
