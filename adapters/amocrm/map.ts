import { z } from 'zod';
import type { ModelInput } from '../../src/model/index.js';

/** amoCRM times are unix seconds; the model keeps UTC instants. */
const seconds = z.coerce.number().int().nonnegative();
const at = (s: number) => new Date(s * 1000).toISOString();
const atOpt = (s: number | null | undefined) => (s ? at(s) : undefined);
const id = z.union([z.int().nonnegative(), z.string().regex(/^\d+$/)]).transform(String);
const optId = z
  .union([z.int(), z.string(), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null || v === '' || Number(v) === 0 ? undefined : String(v)));

const fieldValues = z
  .array(
    z.looseObject({
      field_id: z.int().optional(),
      field_code: z.string().nullish(),
      field_type: z.string().nullish(),
      values: z.array(z.looseObject({ value: z.unknown(), enum_code: z.string().nullish() })).default([]),
    }),
  )
  .nullish();
type FieldValues = z.infer<typeof fieldValues>;

/** The values of a field by its code (PHONE, EMAIL, UTM_SOURCE...), as text. */
function byCode(fields: FieldValues, code: string, codes: Record<string, string> = {}): string[] {
  return (fields ?? [])
    .filter((f) => (f.field_code ?? (f.field_id !== undefined ? codes[String(f.field_id)] : undefined)) === code)
    .flatMap((f) => f.values.map((v) => (v.value === null || v.value === undefined ? '' : String(v.value))))
    .filter((v) => v.length > 0);
}

/** A price: amoCRM sends an integer, sometimes a string; kept exact, never through a float sum. */
const price = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === '') return '0';
    const t = typeof v === 'number' ? String(v) : v.replace(/[\s\u00a0]/g, '').replace(',', '.');
    if (!/^-?\d+(\.\d+)?$/.test(t)) {
      ctx.addIssue({ code: 'custom', message: `not a price: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return t;
  });

const rawUser = z.looseObject({
  id,
  name: z.string().nullish(),
  email: z.string().nullish(),
  rights: z.looseObject({ is_active: z.boolean().optional(), group_id: optId, is_admin: z.boolean().optional() }).optional(),
});

export function mapUser(raw: unknown): ModelInput<'users'> {
  const u = rawUser.parse(raw);
  return {
    externalId: u.id,
    name: u.name || u.email || `#${u.id}`,
    email: u.email ?? undefined,
    active: u.rights?.is_active ?? true,
    departmentIds: u.rights?.group_id ? [u.rights.group_id] : [],
    isAdmin: u.rights?.is_admin,
  };
}

const rawPipeline = z.looseObject({ id, name: z.string(), sort: z.coerce.number().int().default(0), is_main: z.boolean().optional() });

export function mapPipeline(raw: unknown): ModelInput<'pipelines'> {
  const p = rawPipeline.parse(raw);
  return { externalId: p.id, entity: 'deal', name: p.name, sort: p.sort, isDefault: p.is_main ?? false };
}

/** Status ids 142 (won) and 143 (lost) exist in every pipeline: a stage is its pipeline and status together. */
export const stageId = (pipeline: string | number, status: string | number) => `${pipeline}:${status}`;

const rawStatus = z.looseObject({ id, pipeline_id: id, name: z.string(), sort: z.coerce.number().int().default(0), color: z.string().nullish() });

export function mapStage(raw: unknown): ModelInput<'stages'> {
  const s = rawStatus.parse(raw);
  return {
    externalId: stageId(s.pipeline_id, s.id),
    entity: 'deal',
    pipelineId: s.pipeline_id,
    sourceStageId: s.id,
    name: s.name,
    semantics: s.id === '142' ? 'won' : s.id === '143' ? 'lost' : 'open',
    sort: s.sort,
    color: s.color ?? undefined,
  };
}

const embeddedIds = z.array(z.looseObject({ id })).optional();

/** A lead as amoCRM sends it; the pull adds the account's currency and the codes of its custom fields. */
const rawLead = z.looseObject({
  id,
  name: z.string().nullish(),
  price,
  responsible_user_id: optId,
  status_id: id,
  pipeline_id: id,
  created_at: seconds,
  updated_at: seconds,
  closed_at: seconds.nullish(),
  custom_fields_values: fieldValues,
  _embedded: z
    .looseObject({
      tags: z.array(z.looseObject({ name: z.string() })).optional(),
      contacts: embeddedIds,
      companies: embeddedIds,
      loss_reason: z.array(z.looseObject({ name: z.string() })).optional(),
    })
    .optional(),
  svodkaCurrency: z.string().regex(/^[A-Z]{3}$/),
  svodkaFieldCodes: z.record(z.string(), z.string()).default({}),
});

export function mapDeal(raw: unknown): ModelInput<'deals'> {
  const l = rawLead.parse(raw);
  const utm = (code: string) => byCode(l.custom_fields_values, code, l.svodkaFieldCodes)[0];
  const visitor: Record<string, string> = {};
  for (const [code, key] of [['GCLID', 'gclid'], ['YCLID', 'yclid'], ['FBCLID', 'fbclid'], ['_YM_UID', 'yandexClientId'], ['_GA', 'gaClientId']] as const) {
    const v = utm(code);
    if (v) visitor[key] = v;
  }
  return {
    externalId: l.id,
    title: l.name || `Сделка #${l.id}`,
    pipelineId: l.pipeline_id,
    stageId: stageId(l.pipeline_id, l.status_id),
    amount: l.price,
    currency: l.svodkaCurrency,
    responsibleId: l.responsible_user_id,
    contactId: l._embedded?.contacts?.[0]?.id,
    companyId: l._embedded?.companies?.[0]?.id,
    utmSource: utm('UTM_SOURCE'),
    utmMedium: utm('UTM_MEDIUM'),
    utmCampaign: utm('UTM_CAMPAIGN'),
    utmContent: utm('UTM_CONTENT'),
    utmTerm: utm('UTM_TERM'),
    visitorIds: Object.keys(visitor).length ? visitor : undefined,
    lossReason: l._embedded?.loss_reason?.[0]?.name,
    tags: l._embedded?.tags?.map((t) => t.name),
    createdAt: at(l.created_at),
    closedAt: atOpt(l.closed_at),
    updatedAt: at(l.updated_at),
  };
}

const rawContact = z.looseObject({
  id,
  name: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  responsible_user_id: optId,
  created_at: seconds,
  updated_at: seconds,
  custom_fields_values: fieldValues,
  _embedded: z.looseObject({ companies: embeddedIds }).optional(),
});

export function mapContact(raw: unknown): ModelInput<'contacts'> {
  const c = rawContact.parse(raw);
  return {
    externalId: c.id,
    name: c.name || [c.last_name, c.first_name].filter(Boolean).join(' ') || `Контакт #${c.id}`,
    phones: byCode(c.custom_fields_values, 'PHONE'),
    emails: byCode(c.custom_fields_values, 'EMAIL'),
    responsibleId: c.responsible_user_id,
    companyId: c._embedded?.companies?.[0]?.id,
    createdAt: at(c.created_at),
    updatedAt: at(c.updated_at),
  };
}

const rawCompany = z.looseObject({ id, name: z.string().nullish(), responsible_user_id: optId, created_at: seconds, updated_at: seconds, custom_fields_values: fieldValues });

export function mapCompany(raw: unknown): ModelInput<'companies'> {
  const c = rawCompany.parse(raw);
  return {
    externalId: c.id,
    name: c.name || `Компания #${c.id}`,
    phones: byCode(c.custom_fields_values, 'PHONE'),
    emails: byCode(c.custom_fields_values, 'EMAIL'),
    responsibleId: c.responsible_user_id,
    createdAt: at(c.created_at),
    updatedAt: at(c.updated_at),
  };
}

const owners = { leads: 'deal', contacts: 'contact', companies: 'company' } as const;

const rawTask = z.looseObject({
  id,
  entity_id: optId,
  entity_type: z.string().nullish(),
  responsible_user_id: optId,
  task_type_id: z.coerce.number().int().optional(),
  text: z.string().nullish(),
  complete_till: seconds.nullish(),
  is_completed: z.boolean(),
  created_at: seconds,
  updated_at: seconds,
});

/** Tasks: type 1 is a call, 2 a meeting, the rest are to-dos. */
export function mapTask(raw: unknown): ModelInput<'activities'> {
  const t = rawTask.parse(raw);
  const ownerType = t.entity_type ? owners[t.entity_type as keyof typeof owners] : undefined;
  return {
    externalId: `task:${t.id}`,
    kind: t.task_type_id === 1 ? 'call' : t.task_type_id === 2 ? 'meeting' : 'task',
    subject: t.text ?? undefined,
    ownerType,
    ownerId: ownerType ? t.entity_id : undefined,
    responsibleId: t.responsible_user_id,
    deadline: atOpt(t.complete_till),
    completed: t.is_completed,
    createdAt: at(t.created_at),
    updatedAt: at(t.updated_at),
  };
}

const leadStatus = z.array(z.looseObject({ lead_status: z.looseObject({ id, pipeline_id: id }) })).nullish();

const rawEvent = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  type: z.string(),
  entity_id: id,
  created_by: optId,
  created_at: seconds,
  value_before: leadStatus,
  value_after: leadStatus,
});

/** lead_status_changed events are the stage history; other events are not stage changes. */
export function mapStatusEvent(raw: unknown): ModelInput<'stage_changes'> | null {
  const e = rawEvent.parse(raw);
  if (e.type !== 'lead_status_changed') return null;
  const to = e.value_after?.[0]?.lead_status;
  const from = e.value_before?.[0]?.lead_status;
  if (!to) return null;
  return {
    externalId: e.id,
    entity: 'deal',
    ownerId: e.entity_id,
    pipelineId: to.pipeline_id,
    fromStageId: from ? stageId(from.pipeline_id, from.id) : undefined,
    toStageId: stageId(to.pipeline_id, to.id),
    at: at(e.created_at),
    byUserId: e.created_by,
  };
}

const rawCallNote = z.looseObject({
  id,
  entity_id: id,
  note_type: z.string(),
  responsible_user_id: optId,
  created_at: seconds,
  updated_at: seconds,
  params: z.looseObject({ duration: z.coerce.number().int().nonnegative().optional(), phone: z.string().nullish() }).nullish(),
  /** Added by the pull: whose notes these are. */
  svodkaOwner: z.enum(['leads', 'contacts', 'companies']).default('leads'),
});

/** Call notes (call_in, call_out) are the calls; other notes are not activities. */
export function mapCallNote(raw: unknown): ModelInput<'activities'> | null {
  const n = rawCallNote.parse(raw);
  if (n.note_type !== 'call_in' && n.note_type !== 'call_out') return null;
  return {
    externalId: `note:${n.id}`,
    kind: 'call',
    direction: n.note_type === 'call_in' ? 'incoming' : 'outgoing',
    subject: n.params?.phone ?? undefined,
    ownerType: owners[n.svodkaOwner],
    ownerId: n.entity_id,
    responsibleId: n.responsible_user_id,
    completed: true,
    completedAt: at(n.created_at),
    durationSeconds: n.params?.duration,
    createdAt: at(n.created_at),
    updatedAt: at(n.updated_at),
  };
}

/** Activities come from tasks and from call notes; the note's type tells them apart. */
export function mapActivity(raw: unknown): ModelInput<'activities'> | null {
  return raw && typeof raw === 'object' && 'note_type' in raw ? mapCallNote(raw) : mapTask(raw);
}
