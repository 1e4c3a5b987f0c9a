import { link, nowS, type Call } from '../context.js';
import { eventId } from '../data/event-log.js';
import { NOTE_EVENT } from '../data/activity.js';
import { problem, validation, type Reply } from '../http.js';
import { applyLeadPatch, checkLeadPatch } from '../lead-changes.js';
import { elementOut, fieldOut } from '../render-misc.js';
import type { CfValue, CustomField, FieldEntity, NoteEntity } from '../types.js';

type Obj = Record<string, unknown>;
// Docs: up to 250 entities per write request (50 recommended).
const MAX_BATCH = 250;

function items(body: unknown): Obj[] {
  if (!Array.isArray(body)) throw problem(400, 'Request body must be an array');
  if (body.length === 0) throw problem(400, 'Request body is empty');
  if (body.length > MAX_BATCH) throw problem(400, `Too many entities in one request: ${body.length} > ${MAX_BATCH}`);
  return body.map((x) => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : {}));
}

const reqId = (o: Obj, i: number) => (typeof o.request_id === 'string' ? o.request_id : String(i));

/** PATCH /api/v4/leads (array) and /api/v4/leads/{id} (object); all items are checked before any is applied. */
export function patchLeads(c: Call): Reply {
  const one = c.params[0] !== undefined;
  const list = one ? [{ ...(c.body as Obj), id: Number(c.params[0]) }] : items(c.body);
  const errors: { requestId: string; code: string; path: string; detail: string }[] = [];
  const leads = list.map((p, i) => {
    const lead = typeof p.id === 'number' ? c.ctx.data.leads.get(p.id) : undefined;
    if (!lead || lead.isDeleted) errors.push({ requestId: reqId(p, i), code: 'NotFound', path: 'id', detail: 'Entity not found' });
    else for (const e of checkLeadPatch(c.ctx, lead, p)) errors.push({ requestId: reqId(p, i), ...e });
    return lead;
  });
  if (errors.length) throw validation(errors);
  const out = list.map((p, i) => {
    const lead = leads[i] as NonNullable<(typeof leads)[number]>;
    applyLeadPatch(c.ctx, lead, p, typeof p.updated_by === 'number' && p.updated_by !== 0 ? p.updated_by : c.userId);
    return { id: lead.id, updated_at: lead.updatedAt, request_id: reqId(p, i), _links: link(c.ctx, `/api/v4/leads/${lead.id}`) };
  });
  if (one) return { status: 200, body: out[0] };
  return { status: 200, body: { _links: link(c.ctx, '/api/v4/leads'), _embedded: { leads: out } } };
}

const ENTITIES = ['leads', 'contacts', 'companies'] as const;

function exists(c: Call, entity: string, id: number): boolean {
  const d = c.ctx.data;
  const row = entity === 'leads' ? d.leads.get(id) : entity === 'contacts' ? d.contacts.get(id) : entity === 'companies' ? d.companies.get(id) : undefined;
  return !!row && !row.isDeleted;
}

export function postTasks(c: Call): Reply {
  const list = items(c.body);
  const errors = list.flatMap((t, i) => {
    const e: { requestId: string; code: string; path: string; detail: string }[] = [];
    const add = (path: string, detail: string, code = 'NotBlank') => e.push({ requestId: reqId(t, i), code, path, detail });
    if (typeof t.text !== 'string' || !t.text) add('text', 'This value should not be blank.');
    if (typeof t.complete_till !== 'number') add('complete_till', 'This value should not be blank.');
    if (t.entity_id !== undefined && !exists(c, String(t.entity_type), Number(t.entity_id))) add('entity_id', 'Entity not found', 'NotFound');
    return e;
  });
  if (errors.length) throw validation(errors);
  const now = nowS();
  const out = list.map((t, i) => {
    const id = c.ctx.data.tasks.nextId + c.ctx.rng.int(1, 20);
    const owner = typeof t.responsible_user_id === 'number' ? t.responsible_user_id : c.userId;
    c.ctx.data.tasks.add({
      id,
      responsibleUserId: owner,
      groupId: 0,
      createdBy: c.userId,
      updatedBy: c.userId,
      createdAt: now,
      updatedAt: now,
      entityId: t.entity_id === undefined ? null : Number(t.entity_id),
      entityType: t.entity_type === undefined ? null : (String(t.entity_type) as NoteEntity),
      duration: typeof t.duration === 'number' ? t.duration : 0,
      isCompleted: t.is_completed === true,
      taskTypeId: typeof t.task_type_id === 'number' ? t.task_type_id : 1,
      text: String(t.text),
      result: null,
      completeTill: t.complete_till as number,
    });
    return { id, request_id: reqId(t, i), _links: link(c.ctx, `/api/v4/tasks/${id}`) };
  });
  return { status: 200, body: { _links: link(c.ctx, '/api/v4/tasks'), _embedded: { tasks: out } } };
}

/** POST /api/v4/{entity}/notes (with `entity_id` per note) and /api/v4/{entity}/{id}/notes. */
export function postNotes(c: Call): Reply {
  const entity = c.path.split('/')[3] as NoteEntity;
  if (!ENTITIES.includes(entity)) throw problem(404, 'Not found');
  const fixed = c.params[0] === undefined ? null : Number(c.params[0]);
  const list = items(c.body);
  const errors = list.flatMap((n, i) => {
    const id = fixed ?? Number(n.entity_id);
    const e: { requestId: string; code: string; path: string; detail: string }[] = [];
    if (!exists(c, entity, id)) e.push({ requestId: reqId(n, i), code: 'NotFound', path: 'entity_id', detail: 'Entity not found' });
    if (typeof n.note_type !== 'string') e.push({ requestId: reqId(n, i), code: 'NotBlank', path: 'note_type', detail: 'This value should not be blank.' });
    return e;
  });
  if (errors.length) throw validation(errors);
  const now = nowS();
  const out = list.map((n, i) => {
    const entityId = fixed ?? Number(n.entity_id);
    const id = c.ctx.data.notes.nextId + c.ctx.rng.int(1, 20);
    const owner = typeof n.responsible_user_id === 'number' ? n.responsible_user_id : c.userId;
    const noteType = String(n.note_type);
    c.ctx.data.notes.add({ id, entity, entityId, noteType, params: (n.params as Obj) ?? {}, responsibleUserId: owner, groupId: 0, createdBy: c.userId, updatedBy: c.userId, createdAt: now, updatedAt: now });
    const type = NOTE_EVENT[noteType];
    if (type) c.ctx.data.events.add({ id: eventId(c.ctx.rng, now), type, entityType: entity === 'leads' ? 'lead' : entity === 'contacts' ? 'contact' : 'company', entityId, createdBy: c.userId, createdAt: now, v: [id] });
    return { id, entity_id: entityId, request_id: reqId(n, i), _links: link(c.ctx, `/api/v4/${entity}/${entityId}/notes/${id}`) };
  });
  return { status: 200, body: { _links: link(c.ctx, c.path), _embedded: { notes: out } } };
}

/** PATCH /api/v4/catalogs/{id}/elements: `name` and `custom_fields_values` (by field_id or field_code). */
export function patchElements(c: Call): Reply {
  const catalogId = Number(c.params[0]);
  if (!c.ctx.data.catalogs.some((x) => x.id === catalogId)) throw problem(404, 'Catalog not found');
  const list = items(c.body);
  const fields = c.ctx.data.fields.rows.filter((f) => f.entity === 'catalogs' && f.catalogId === catalogId);
  const errors: { requestId: string; code: string; path: string; detail: string }[] = [];
  list.forEach((p, i) => {
    const e = c.ctx.data.catalogElements.get(Number(p.id));
    if (!e || e.catalogId !== catalogId) errors.push({ requestId: reqId(p, i), code: 'NotFound', path: 'id', detail: 'Entity not found' });
    if (Array.isArray(p.custom_fields_values)) {
      p.custom_fields_values.forEach((v: Obj, j) => {
        if (!fields.some((f) => f.id === v?.field_id || f.code === v?.field_code)) errors.push({ requestId: reqId(p, i), code: 'NotSupportedChoice', path: `custom_fields_values.${j}.field_id`, detail: 'The value you selected is not a valid choice.' });
      });
    }
  });
  if (errors.length) throw validation(errors);
  const now = nowS();
  const out = list.map((p) => {
    const e = c.ctx.data.catalogElements.get(Number(p.id));
    if (!e) throw problem(400, 'Entity not found');
    if (typeof p.name === 'string') e.name = p.name;
    if (Array.isArray(p.custom_fields_values)) {
      for (const v of p.custom_fields_values as Obj[]) {
        const f = fields.find((x) => x.id === v.field_id || x.code === v.field_code) as CustomField;
        e.cf = e.cf.filter((x) => x.fieldId !== f.id);
        // Numeric values are stored as strings, as the element list documents them.
        if (Array.isArray(v.values)) e.cf.push({ fieldId: f.id, values: (v.values as Obj[]).map((x) => ({ value: f.type === 'numeric' ? String(x.value) : (x.value as string) })) } satisfies CfValue);
      }
    }
    e.updatedAt = now;
    e.updatedBy = c.userId;
    c.ctx.data.catalogElements.touch();
    return { ...elementOut(c.ctx, e), request_id: e.id, invoice_link: null };
  });
  return { status: 200, body: { _links: link(c.ctx, c.path), _embedded: { elements: out } } };
}

const FIELD_TYPES = ['text', 'numeric', 'checkbox', 'select', 'multiselect', 'date', 'url', 'textarea', 'radiobutton', 'streetaddress', 'birthday', 'date_time', 'price', 'category', 'monetary', 'multitext'];

/** POST /api/v4/{leads|contacts|companies}/custom_fields → 201. */
export function postFields(c: Call): Reply {
  const entity = c.path.split('/')[3] as FieldEntity;
  const list = items(c.body);
  const errors = list.flatMap((f, i) => {
    const e: { requestId: string; code: string; path: string; detail: string }[] = [];
    if (typeof f.name !== 'string' || !f.name) e.push({ requestId: reqId(f, i), code: 'NotBlank', path: 'name', detail: 'This value should not be blank.' });
    if (!FIELD_TYPES.includes(String(f.type))) e.push({ requestId: reqId(f, i), code: 'NotSupportedChoice', path: 'type', detail: 'The value you selected is not a valid choice.' });
    return e;
  });
  if (errors.length) throw validation(errors);
  const d = c.ctx.data;
  const made = list.map((f) => {
    const field: CustomField = {
      id: (d.next.fieldId += c.ctx.rng.int(1, 30)),
      entity,
      catalogId: null,
      name: String(f.name),
      code: typeof f.code === 'string' ? f.code : null,
      type: String(f.type),
      sort: typeof f.sort === 'number' ? f.sort : 500 + d.fields.rows.length,
      isPredefined: false,
      isApiOnly: f.is_api_only === true,
      enums: Array.isArray(f.enums) ? (f.enums as Obj[]).map((x, i) => ({ id: (d.next.enumId += c.ctx.rng.int(1, 5)), value: String(x.value), sort: typeof x.sort === 'number' ? x.sort : i + 1 })) : null,
    };
    d.fields.add(field);
    return fieldOut(c.ctx, field);
  });
  return { status: 201, body: { _total_items: made.length, _embedded: { custom_fields: made } } };
}
