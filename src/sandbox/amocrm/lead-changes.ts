import { nowS, type Ctx } from './context.js';
import { eventId } from './data/event-log.js';
import type { CfItem, CfValue, Lead } from './types.js';
import { leadHook } from './webhooks.js';

export interface Problem {
  code: string;
  path: string;
  detail: string;
}

const isInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v);

/** Checks a lead patch against the account (as PATCH /api/v4/leads validates) and lists what is wrong. */
export function checkLeadPatch(ctx: Ctx, lead: Lead, p: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const d = ctx.data;
  if (p.name !== undefined && typeof p.name !== 'string') out.push({ code: 'InvalidType', path: 'name', detail: 'This value should be of type string.' });
  if (p.price !== undefined && !isInt(p.price)) out.push({ code: 'InvalidType', path: 'price', detail: 'This value should be of type int.' });
  if (p.responsible_user_id !== undefined && !(isInt(p.responsible_user_id) && d.users.get(p.responsible_user_id as number))) {
    out.push({ code: 'NotSupportedChoice', path: 'responsible_user_id', detail: 'The value you selected is not a valid choice.' });
  }
  const pipelineId = p.pipeline_id ?? lead.pipelineId;
  const pipeline = d.pipelines.find((x) => x.id === pipelineId);
  if (!pipeline) out.push({ code: 'NotSupportedChoice', path: 'pipeline_id', detail: 'The value you selected is not a valid choice.' });
  else if (p.status_id !== undefined && !pipeline.statuses.some((s) => s.id === p.status_id)) out.push({ code: 'NotSupportedChoice', path: 'status_id', detail: 'The value you selected is not a valid choice.' });
  if (p.loss_reason_id !== undefined && p.loss_reason_id !== null && !d.lossReasons.some((r) => r.id === p.loss_reason_id)) {
    out.push({ code: 'NotSupportedChoice', path: 'loss_reason_id', detail: 'The value you selected is not a valid choice.' });
  }
  if (p.custom_fields_values !== undefined && p.custom_fields_values !== null) {
    if (!Array.isArray(p.custom_fields_values)) out.push({ code: 'InvalidType', path: 'custom_fields_values', detail: 'This value should be of type array.' });
    else p.custom_fields_values.forEach((v: unknown, i) => {
      const f = fieldOf(ctx, v);
      if (!f) out.push({ code: 'NotSupportedChoice', path: `custom_fields_values.${i}.field_id`, detail: 'The value you selected is not a valid choice.' });
      else if (!Array.isArray((v as { values?: unknown }).values) && (v as { values?: unknown }).values !== null) out.push({ code: 'InvalidType', path: `custom_fields_values.${i}.values`, detail: 'This value should be of type array.' });
    });
  }
  return out;
}

function fieldOf(ctx: Ctx, v: unknown) {
  if (!v || typeof v !== 'object') return undefined;
  const o = v as { field_id?: unknown; field_code?: unknown };
  return ctx.data.fields.rows.find((f) => f.entity === 'leads' && (f.id === o.field_id || (o.field_code !== undefined && f.code === o.field_code)));
}

/** Sets given fields; a field with `values: null` (or an empty list) is cleared. */
function mergeCf(ctx: Ctx, cf: CfValue[], patch: unknown[]): CfValue[] {
  const out = cf.map((v) => ({ ...v }));
  for (const v of patch) {
    const f = fieldOf(ctx, v);
    if (!f) continue;
    const raw = (v as { values?: unknown }).values;
    const i = out.findIndex((x) => x.fieldId === f.id);
    if (i >= 0) out.splice(i, 1);
    if (!Array.isArray(raw) || !raw.length) continue;
    const values: CfItem[] = raw.map((x: Record<string, unknown>) => {
      const e = f.enums?.find((en) => en.id === x.enum_id || (x.value !== undefined && en.value === x.value) || en.value === x.enum_code);
      return e ? { value: e.value, enum_id: e.id } : { value: x.value as CfItem['value'] };
    });
    out.push({ fieldId: f.id, values });
  }
  return out;
}

/** Applies a checked patch as user `actor`: bumps updated_at, records events, fires webhooks. */
export function applyLeadPatch(ctx: Ctx, lead: Lead, p: Record<string, unknown>, actor: number): void {
  const now = Math.max(nowS(), lead.updatedAt);
  const before = { status: lead.statusId, pipeline: lead.pipelineId, owner: lead.responsibleUserId };
  if (typeof p.name === 'string') lead.name = p.name;
  if (typeof p.price === 'number') lead.price = p.price;
  if (p.pipeline_id !== undefined || p.status_id !== undefined) {
    const pipeline = ctx.data.pipelines.find((x) => x.id === (p.pipeline_id ?? lead.pipelineId));
    if (pipeline) {
      lead.pipelineId = pipeline.id;
      // Moving to another pipeline without a status lands in its first working status.
      lead.statusId = (p.status_id as number | undefined) ?? (pipeline.statuses.find((s) => s.type === 0)?.id as number);
    }
  }
  if (typeof p.responsible_user_id === 'number') lead.responsibleUserId = p.responsible_user_id;
  if (p.loss_reason_id !== undefined) lead.lossReasonId = p.loss_reason_id as number | null;
  if (Array.isArray(p.custom_fields_values)) lead.cf = mergeCf(ctx, lead.cf, p.custom_fields_values);
  else if (p.custom_fields_values === null) lead.cf = [];
  const closed = lead.statusId === 142 || lead.statusId === 143;
  if (typeof p.closed_at === 'number') lead.closedAt = p.closed_at;
  else if (closed && lead.statusId !== before.status) lead.closedAt = now;
  else if (!closed) lead.closedAt = null;
  lead.updatedAt = now;
  lead.updatedBy = actor;
  ctx.data.leads.touch();

  const ev = (type: string, v: number[]) => ctx.data.events.add({ id: eventId(ctx.rng, now), type, entityType: 'lead', entityId: lead.id, createdBy: actor, createdAt: now, v });
  const statusChanged = lead.statusId !== before.status || lead.pipelineId !== before.pipeline;
  if (statusChanged) {
    ev('lead_status_changed', [before.status, before.pipeline, lead.statusId, lead.pipelineId]);
    ctx.hooks.fire('status_lead', { leads: { status: [leadHook(ctx.data, lead, { old_status_id: before.status, old_pipeline_id: before.pipeline })] } });
  }
  if (lead.responsibleUserId !== before.owner) {
    ev('entity_responsible_changed', [before.owner, lead.responsibleUserId]);
    ctx.hooks.fire('responsible_lead', { leads: { responsible: [leadHook(ctx.data, lead, { old_responsible_user_id: before.owner })] } });
  }
  ctx.hooks.fire('update_lead', { leads: { update: [leadHook(ctx.data, lead)] } });
}

export function deleteLead(ctx: Ctx, lead: Lead, actor: number): void {
  const now = Math.max(nowS(), lead.updatedAt);
  lead.isDeleted = true;
  lead.updatedAt = now;
  lead.updatedBy = actor;
  ctx.data.leads.touch();
  ctx.data.events.add({ id: eventId(ctx.rng, now), type: 'lead_deleted', entityType: 'lead', entityId: lead.id, createdBy: actor, createdAt: now, v: [] });
  ctx.hooks.fire('delete_lead', { leads: { delete: [{ id: String(lead.id), status_id: String(lead.statusId), pipeline_id: String(lead.pipelineId) }] } });
}
