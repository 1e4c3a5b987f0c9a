import { link, type Ctx } from './context.js';
import type { CfValue, Company, Contact, Lead, Tag } from './types.js';

/** `custom_fields_values` as the wire has it: null when the entity has none. */
export function cfOut(ctx: Ctx, cf: CfValue[]): unknown[] | null {
  if (!cf.length) return null;
  return cf.map((v) => {
    const f = ctx.data.fields.get(v.fieldId);
    return { field_id: v.fieldId, field_name: f?.name ?? '', field_code: f?.code ?? null, field_type: f?.type ?? 'text', values: v.values };
  });
}

function tags(ctx: Ctx, ids: number[]) {
  return ids.map((id) => ctx.data.tags.get(id)).filter((t): t is Tag => !!t).map((t) => ({ id: t.id, name: t.name, color: t.color }));
}

const ref = (ctx: Ctx, kind: string, id: number) => ({ id, _links: link(ctx, `/api/v4/${kind}/${id}`) });

export function leadOut(ctx: Ctx, l: Lead, w: Set<string>) {
  const account_id = ctx.data.accountId;
  if (l.isDeleted) return { id: l.id, updated_at: l.updatedAt, updated_by: l.updatedBy, is_deleted: true, account_id, _links: link(ctx, `/api/v4/leads/${l.id}`) };
  const embedded: Record<string, unknown> = {
    tags: tags(ctx, l.tags),
    companies: l.companyId === null ? [] : [ref(ctx, 'companies', l.companyId)],
  };
  if (w.has('contacts')) embedded.contacts = l.contacts.map((id, i) => ({ id, is_main: i === 0, _links: link(ctx, `/api/v4/contacts/${id}`) }));
  if (w.has('loss_reason') && l.lossReasonId !== null) {
    const r = ctx.data.lossReasons.find((x) => x.id === l.lossReasonId);
    // An array in the documented example, although the field table says object.
    if (r) embedded.loss_reason = [{ id: r.id, name: r.name, sort: r.sort, created_at: r.createdAt, updated_at: r.createdAt, _links: link(ctx, `/api/v4/leads/loss_reasons/${r.id}`) }];
  }
  if (w.has('catalog_elements')) embedded.catalog_elements = l.catalogElements.map((e) => ({ id: e.id, metadata: { quantity: e.quantity, catalog_id: e.catalogId } }));
  return {
    id: l.id,
    name: l.name,
    price: l.price,
    responsible_user_id: l.responsibleUserId,
    group_id: l.groupId,
    status_id: l.statusId,
    pipeline_id: l.pipelineId,
    loss_reason_id: l.lossReasonId,
    ...(w.has('source_id') ? { source_id: null } : {}),
    created_by: l.createdBy,
    updated_by: l.updatedBy,
    created_at: l.createdAt,
    updated_at: l.updatedAt,
    closed_at: l.closedAt,
    closest_task_at: l.closestTaskAt,
    is_deleted: false,
    custom_fields_values: cfOut(ctx, l.cf),
    score: null,
    account_id,
    labor_cost: null,
    ...(w.has('is_price_modified_by_robot') ? { is_price_modified_by_robot: false } : {}),
    _links: link(ctx, `/api/v4/leads/${l.id}`),
    _embedded: embedded,
  };
}

export function contactOut(ctx: Ctx, c: Contact, w: Set<string>) {
  const embedded: Record<string, unknown> = { tags: tags(ctx, c.tags), companies: c.companyId === null ? [] : [ref(ctx, 'companies', c.companyId)] };
  if (w.has('leads')) embedded.leads = c.leads.map((id) => ref(ctx, 'leads', id));
  return {
    id: c.id,
    name: c.name,
    first_name: c.firstName,
    last_name: c.lastName,
    responsible_user_id: c.responsibleUserId,
    group_id: c.groupId,
    created_by: c.createdBy,
    updated_by: c.updatedBy,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    closest_task_at: c.closestTaskAt,
    is_deleted: c.isDeleted,
    custom_fields_values: cfOut(ctx, c.cf),
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/contacts/${c.id}`),
    _embedded: embedded,
  };
}

export function companyOut(ctx: Ctx, c: Company, w: Set<string>) {
  const embedded: Record<string, unknown> = { tags: tags(ctx, c.tags) };
  if (w.has('leads')) embedded.leads = c.leads.map((id) => ref(ctx, 'leads', id));
  if (w.has('contacts')) embedded.contacts = c.contacts.map((id) => ref(ctx, 'contacts', id));
  return {
    id: c.id,
    name: c.name,
    responsible_user_id: c.responsibleUserId,
    group_id: c.groupId,
    created_by: c.createdBy,
    updated_by: c.updatedBy,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    closest_task_at: c.closestTaskAt,
    is_deleted: c.isDeleted,
    custom_fields_values: cfOut(ctx, c.cf),
    account_id: ctx.data.accountId,
    _links: link(ctx, `/api/v4/companies/${c.id}`),
    _embedded: embedded,
  };
}
