import { link, list, withSet, type Call } from '../context.js';
import type { Reply } from '../http.js';
import { halPage, pageOf } from '../paging.js';
import { fieldOut, pipelineOut, statusOut, userOut } from '../render-misc.js';
import type { FieldEntity } from '../types.js';

const ENTITY_NAMES = {
  leads: {
    ru: {
      gender: 'f',
      plural_form: { dative: 'сделкам', default: 'сделки', genitive: 'сделок', accusative: 'сделки', instrumental: 'сделками', prepositional: 'сделках' },
      singular_form: { dative: 'сделке', default: 'сделка', genitive: 'сделки', accusative: 'сделку', instrumental: 'сделкой', prepositional: 'сделке' },
    },
    en: { singular_form: { default: 'lead' }, plural_form: { default: 'leads' }, gender: 'f' },
  },
};

/** Fields behind `with=` appear only when asked for, as the account page documents. */
export function account(c: Call): Reply {
  const d = c.ctx.data;
  const w = withSet(c.query);
  const body: Record<string, unknown> = {
    id: d.accountId,
    name: d.name,
    subdomain: d.subdomain,
    current_user_id: c.userId,
    country: 'RU',
    customers_mode: 'disabled',
    is_unsorted_on: true,
    is_loss_reason_enabled: true,
    is_helpbot_enabled: false,
    is_technical_account: false,
    contact_name_display_order: 1,
  };
  if (w.has('amojo_id')) body.amojo_id = `f3c6340d-410e-4ad1-9f7e-${String(d.accountId).padStart(12, '0')}`;
  if (w.has('version')) body.version = 16;
  if (w.has('drive_url')) body.drive_url = 'https://drive-b.amocrm.ru';
  if (w.has('is_api_filter_enabled')) body.is_api_filter_enabled = c.ctx.apiFilter;
  if (w.has('entity_names')) body.entity_names = ENTITY_NAMES;
  body._links = link(c.ctx, '/api/v4/account');
  const embedded: Record<string, unknown> = {};
  if (w.has('amojo_rights')) embedded.amojo_rights = { can_direct: true, can_create_groups: true };
  if (w.has('users_groups')) embedded.users_groups = d.groups.map((g) => ({ id: g.id, name: g.name, uuid: null }));
  if (w.has('task_types')) {
    embedded.task_types = [
      { id: 1, name: 'Связаться', color: null, icon_id: null, code: 'FOLLOW_UP' },
      { id: 2, name: 'Встреча', color: null, icon_id: null, code: 'MEETING' },
    ];
  }
  if (w.has('datetime_settings')) {
    embedded.datetime_settings = { date_pattern: 'd.m.Y H:i', short_date_pattern: 'd.m.Y', short_time_pattern: 'H:i', date_formant: 'd.m.Y', time_format: 'H:i:s', timezone: 'Europe/Moscow', timezone_offset: '+03:00' };
  }
  if (Object.keys(embedded).length) body._embedded = embedded;
  return { status: 200, body };
}

function withTotals(r: Reply, total: number, limit: number): Reply {
  if (r.status !== 200) return r;
  const b = r.body as Record<string, unknown>;
  return { status: 200, body: { _total_items: total, _page: b._page, _page_count: Math.ceil(total / limit), _links: b._links, _embedded: b._embedded } };
}

export function users(c: Call): Reply {
  const pg = pageOf(c.query);
  const w = withSet(c.query);
  const rows = c.ctx.data.users.rows;
  return withTotals(halPage(c.ctx.base, c.path, c.search, 'users', rows, pg, (u) => userOut(c.ctx, u, w)), rows.length, pg.limit);
}

export function user(c: Call): Reply {
  const u = c.ctx.data.users.get(Number(c.params[0]));
  return u ? { status: 200, body: userOut(c.ctx, u, withSet(c.query)) } : { status: 204 };
}

export function pipelines(c: Call): Reply {
  const p = c.ctx.data.pipelines;
  return { status: 200, body: { _total_items: p.length, _links: link(c.ctx, '/api/v4/leads/pipelines'), _embedded: { pipelines: p.map((x) => pipelineOut(c.ctx, x)) } } };
}

export function pipeline(c: Call): Reply {
  const p = c.ctx.data.pipelines.find((x) => x.id === Number(c.params[0]));
  return p ? { status: 200, body: pipelineOut(c.ctx, p) } : { status: 204 };
}

export function statuses(c: Call): Reply {
  const p = c.ctx.data.pipelines.find((x) => x.id === Number(c.params[0]));
  if (!p) return { status: 204 };
  const path = `/api/v4/leads/pipelines/${p.id}/statuses`;
  return { status: 200, body: { _total_items: p.statuses.length, _links: link(c.ctx, path), _embedded: { statuses: p.statuses.map((s) => statusOut(c.ctx, s)) } } };
}

export function lossReasons(c: Call): Reply {
  const r = c.ctx.data.lossReasons;
  const out = r.map((x) => ({ id: x.id, name: x.name, sort: x.sort, created_at: x.createdAt, updated_at: x.createdAt, _links: link(c.ctx, `/api/v4/leads/loss_reasons/${x.id}`) }));
  return { status: 200, body: { _total_items: r.length, _page: 1, _page_count: 1, _links: link(c.ctx, '/api/v4/leads/loss_reasons'), _embedded: { loss_reasons: out } } };
}

/** `/api/v4/{leads|contacts|companies}/custom_fields` and `/api/v4/catalogs/{id}/custom_fields`; `filter[type][]` narrows. */
export function customFields(c: Call): Reply {
  const pg = pageOf(c.query);
  const entity = c.path.split('/')[3] as FieldEntity;
  const catalogId = entity === 'catalogs' ? Number(c.params[0]) : null;
  const f = c.query.filter && typeof c.query.filter === 'object' ? (c.query.filter as Record<string, unknown>) : {};
  const types = list(f.type);
  const ids = list(f.id).map(Number);
  const rows = c.ctx.data.fields.rows.filter(
    (x) => x.entity === entity && x.catalogId === catalogId && (!types.length || types.includes(x.type)) && (!ids.length || ids.includes(x.id)),
  );
  return withTotals(halPage(c.ctx.base, c.path, c.search, 'custom_fields', rows, pg, (x) => fieldOut(c.ctx, x)), rows.length, pg.limit);
}
