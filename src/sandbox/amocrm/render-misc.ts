import { link, type Ctx } from './context.js';
import { cfOut } from './render.js';
import type { AmoEvent, Catalog, CatalogElement, CustomField, Note, Pipeline, Status, Task, Unsorted, User, Webhook } from './types.js';

const RIGHTS = { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' };

export function userOut(ctx: Ctx, u: User, w: Set<string>) {
  const group = ctx.data.groups.find((g) => g.id === (u.groupId ?? 0));
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    lang: u.lang,
    rights: {
      leads: RIGHTS,
      contacts: RIGHTS,
      companies: RIGHTS,
      tasks: { edit: 'A', delete: 'A' },
      mail_access: true,
      catalog_access: true,
      status_rights: null,
      is_admin: u.isAdmin,
      is_free: false,
      is_active: u.isActive,
      group_id: u.groupId,
      role_id: u.roleId,
    },
    _links: link(ctx, `/api/v4/users/${u.id}`),
    ...(w.has('group') || w.has('role') ? { _embedded: { roles: [], groups: w.has('group') && group && u.groupId !== null ? [{ id: group.id, name: group.name }] : [] } } : {}),
  };
}

export function statusOut(ctx: Ctx, s: Status) {
  return {
    id: s.id,
    name: s.name,
    sort: s.sort,
    is_editable: s.isEditable,
    pipeline_id: s.pipelineId,
    color: s.color,
    type: s.type,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/leads/pipelines/${s.pipelineId}/statuses/${s.id}`),
  };
}

export function pipelineOut(ctx: Ctx, p: Pipeline) {
  return {
    id: p.id,
    name: p.name,
    sort: p.sort,
    is_main: p.isMain,
    is_unsorted_on: true,
    is_archive: p.isArchive,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/leads/pipelines/${p.id}`),
    _embedded: { statuses: p.statuses.map((s) => statusOut(ctx, s)) },
  };
}

export function fieldOut(ctx: Ctx, f: CustomField) {
  const base = f.entity === 'catalogs' ? `/api/v4/catalogs/${f.catalogId}` : `/api/v4/${f.entity}`;
  return {
    id: f.id,
    name: f.name,
    type: f.type,
    account_id: ctx.data.accountId,
    code: f.code,
    sort: f.sort,
    is_api_only: f.isApiOnly,
    enums: f.enums,
    group_id: null,
    required_statuses: [],
    is_deletable: !f.isPredefined,
    is_predefined: f.isPredefined,
    entity_type: f.entity,
    remind: null,
    settings: null,
    _links: link(ctx, `${base}/custom_fields/${f.id}`),
  };
}

export function taskOut(ctx: Ctx, t: Task) {
  return {
    id: t.id,
    created_by: t.createdBy,
    updated_by: t.updatedBy,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    responsible_user_id: t.responsibleUserId,
    group_id: t.groupId,
    entity_id: t.entityId,
    entity_type: t.entityType,
    duration: t.duration,
    is_completed: t.isCompleted,
    task_type_id: t.taskTypeId,
    text: t.text,
    // `[]` without a result and `{text}` with one, as documented.
    result: t.result === null ? [] : { text: t.result },
    complete_till: t.completeTill,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/tasks/${t.id}`),
  };
}

export function noteOut(ctx: Ctx, n: Note) {
  return {
    id: n.id,
    entity_id: n.entityId,
    created_by: n.createdBy,
    updated_by: n.updatedBy,
    created_at: n.createdAt,
    updated_at: n.updatedAt,
    responsible_user_id: n.responsibleUserId,
    group_id: n.groupId,
    note_type: n.noteType,
    params: n.params,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/${n.entity}/${n.entityId}/notes/${n.id}`),
  };
}

function values(e: AmoEvent): [unknown[], unknown[]] {
  const v = e.v;
  switch (e.type) {
    case 'lead_status_changed':
      return [[{ lead_status: { id: v[0], pipeline_id: v[1] } }], [{ lead_status: { id: v[2], pipeline_id: v[3] } }]];
    case 'entity_responsible_changed':
      return [[{ responsible_user: { id: v[0] } }], [{ responsible_user: { id: v[1] } }]];
    default:
      return [[], v.length ? [{ note: { id: v[0] } }] : []];
  }
}

const PLURAL = { lead: 'leads', contact: 'contacts', company: 'companies' } as const;

export function eventOut(ctx: Ctx, e: AmoEvent) {
  const [before, after] = values(e);
  return {
    id: e.id,
    type: e.type,
    entity_id: e.entityId,
    entity_type: e.entityType,
    created_by: e.createdBy,
    created_at: e.createdAt,
    value_after: after,
    value_before: before,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/events/${e.id}`),
    _embedded: { entity: { id: e.entityId, _links: link(ctx, `/api/v4/${PLURAL[e.entityType]}/${e.entityId}`) } },
  };
}

export function catalogOut(ctx: Ctx, c: Catalog) {
  return {
    id: c.id,
    name: c.name,
    created_by: c.createdBy,
    updated_by: c.createdBy,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    sort: c.sort,
    type: c.type,
    can_add_elements: c.type !== 'invoices',
    can_show_in_cards: false,
    can_link_multiple: true,
    can_be_deleted: c.type === 'regular',
    sdk_widget_code: null,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/catalogs/${c.id}`),
  };
}

export function elementOut(ctx: Ctx, e: CatalogElement) {
  return {
    id: e.id,
    name: e.name,
    created_by: e.createdBy,
    updated_by: e.updatedBy,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    is_deleted: e.isDeleted,
    custom_fields_values: cfOut(ctx, e.cf),
    catalog_id: e.catalogId,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/catalogs/${e.catalogId}/elements/${e.id}`),
  };
}

export function unsortedOut(ctx: Ctx, u: Unsorted) {
  const ref = (kind: string, id: number) => ({ id, _links: link(ctx, `/api/v4/${kind}/${id}`) });
  return {
    uid: u.uid,
    source_uid: null,
    source_name: u.sourceName,
    category: u.category,
    pipeline_id: u.pipelineId,
    created_at: u.createdAt,
    metadata: u.metadata,
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/leads/unsorted/${u.uid}`),
    _embedded: { contacts: u.contactId === null ? [] : [ref('contacts', u.contactId)], leads: [ref('leads', u.leadId)], companies: [] },
  };
}

export function webhookOut(ctx: Ctx, h: Webhook) {
  return {
    id: h.id,
    destination: h.destination,
    created_at: h.createdAt,
    updated_at: h.updatedAt,
    account_id: ctx.data.accountId,
    created_by: h.createdBy,
    sort: h.sort,
    disabled: h.disabled,
    settings: h.settings,
  };
}
