import type { Rng } from '../../bitrix24/rng.js';
import { Table } from '../../bitrix24/table.js';
import * as n from '../../bitrix24/names.js';
import type { AmoEvent, Catalog, CatalogElement, Lead, Note, NoteEntity, Pipeline, Task, Unsorted } from '../types.js';
import { eventId } from './event-log.js';
import type { FieldIds } from './people.js';

const HOUR = 3600;
const DAY = 86_400;

/** The event type a note of this type leaves in the events list (service messages leave none). */
export const NOTE_EVENT: Record<string, string> = { common: 'common_note_added', call_in: 'incoming_call', call_out: 'outgoing_call' };

function uuid(rng: Rng): string {
  const h = rng.hex(32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
}

export function callParams(rng: Rng, incoming: boolean, phone: string): Record<string, unknown> {
  const uniq = uuid(rng);
  return {
    uniq,
    duration: rng.chance(0.15) ? 0 : rng.int(15, 1800),
    source: rng.pick(['onlinePBX', 'Mango Office', 'Sipuni', 'UIS']),
    link: `https://records.sandbox.example/${uniq}.mp3`,
    phone,
    ...(incoming ? {} : { call_responsible: 'sandbox' }),
  };
}

export function buildTasks(rng: Rng, anchor: number, count: number, leads: Lead[]): Table<Task> {
  const tasks = new Table<Task>();
  if (!leads.length) return tasks;
  let id = rng.int(1_000_000, 2_000_000);
  const rows: Task[] = [];
  for (let i = 0; i < count; i++) {
    const lead = rng.pick(leads) as Lead;
    const createdAt = lead.createdAt + rng.int(0, Math.max(0, Math.min(20 * DAY, anchor - HOUR - lead.createdAt)));
    const completeTill = createdAt + rng.int(HOUR, 7 * DAY);
    const done = completeTill < anchor - DAY ? rng.chance(0.9) : rng.chance(0.2);
    const by = lead.responsibleUserId;
    const type = rng.chance(0.7) ? 1 : 2;
    rows.push({
      id: 0,
      responsibleUserId: by,
      groupId: 0,
      createdBy: rng.chance(0.1) ? 0 : by,
      updatedBy: by,
      createdAt,
      updatedAt: done ? Math.min(anchor, completeTill + rng.int(-HOUR, DAY)) : createdAt,
      entityId: lead.id,
      entityType: 'leads',
      duration: 0,
      isCompleted: done,
      taskTypeId: type,
      text: rng.pick(type === 1 ? n.subjects.call : n.subjects.meeting),
      result: done && rng.chance(0.4) ? rng.pick(['Договорились о встрече', 'Клиент думает', 'Отправил КП', 'Не дозвонился']) : null,
      completeTill,
    });
  }
  rows.sort((a, b) => a.createdAt - b.createdAt);
  for (const t of rows) {
    t.id = id += rng.int(1, 20);
    tasks.add(t);
  }
  return tasks;
}

export interface NoteWorld {
  leads: Lead[];
  contacts: { id: number; createdAt: number; responsibleUserId: number }[];
}

/** Notes on leads and contacts, each with the event the events list shows for it. */
export function buildNotes(rng: Rng, anchor: number, count: number, w: NoteWorld) {
  const notes = new Table<Note>();
  const events: AmoEvent[] = [];
  const rows: Note[] = [];
  if (!w.leads.length) return { notes, events };
  for (let i = 0; i < count; i++) {
    const onContact = w.contacts.length > 0 && rng.chance(0.2);
    const owner = onContact ? (rng.pick(w.contacts) as NoteWorld['contacts'][number]) : (rng.pick(w.leads) as Lead);
    const entity: NoteEntity = onContact ? 'contacts' : 'leads';
    const createdAt = owner.createdAt + rng.int(0, Math.max(0, Math.min(30 * DAY, anchor - 60 - owner.createdAt)));
    const roll = rng.next();
    const noteType = roll < 0.4 ? 'common' : roll < 0.65 ? 'call_in' : roll < 0.9 ? 'call_out' : 'service_message';
    const phone = `+79${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    const params =
      noteType === 'common'
        ? { text: rng.pick(['Клиент просит скидку', 'Отправили договор на согласование', 'Перезвонить после обеда', 'Уточнить реквизиты']) }
        : noteType === 'service_message'
          ? { service: 'Сайт', text: 'Заявка с формы обратной связи' }
          : callParams(rng, noteType === 'call_in', phone);
    rows.push({ id: 0, entity, entityId: owner.id, noteType, params, responsibleUserId: owner.responsibleUserId, groupId: 0, createdBy: owner.responsibleUserId, updatedBy: owner.responsibleUserId, createdAt, updatedAt: createdAt });
  }
  rows.sort((a, b) => a.createdAt - b.createdAt);
  let id = rng.int(200_000_000, 300_000_000);
  for (const note of rows) {
    note.id = id += rng.int(1, 20);
    notes.add(note);
    const type = NOTE_EVENT[note.noteType];
    if (type) events.push({ id: eventId(rng, note.createdAt), type, entityType: note.entity === 'leads' ? 'lead' : 'contact', entityId: note.entityId, createdBy: note.createdBy, createdAt: note.createdAt, v: [note.id] });
  }
  return { notes, events };
}

export function buildElements(rng: Rng, count: number, catalog: Catalog, ids: FieldIds, adminId: number): CatalogElement[] {
  const out: CatalogElement[] = [];
  let id = rng.int(500_000, 900_000);
  const group = ids.get('catalogs', 'GROUP');
  for (let i = 0; i < count; i++) {
    const name = `${rng.pick(n.productNames)} ${rng.pick(['Pro', 'Lite', 'X', 'Plus', 'M2', '2024'])}`;
    const g = rng.pick(group.enums ?? []);
    const createdAt = catalog.createdAt + rng.int(0, 300) * DAY;
    out.push({
      id: (id += rng.int(1, 10)),
      catalogId: catalog.id,
      name,
      createdBy: adminId,
      updatedBy: adminId,
      createdAt,
      updatedAt: createdAt + rng.int(0, 100) * DAY,
      isDeleted: false,
      cf: [
        { fieldId: ids.get('catalogs', 'SKU').id, values: [{ value: `SKU-${rng.int(10_000, 99_999)}` }] },
        // Numeric values travel as strings, as in the documented example ("12").
        { fieldId: ids.get('catalogs', 'PRICE').id, values: [{ value: String(rng.int(5, 2000) * 100) }] },
        ...(g ? [{ fieldId: group.id, values: [{ value: g.value, enum_id: g.id }] }] : []),
      ],
    });
  }
  return out;
}

/** Unsorted items for leads still sitting in a pipeline's "unsorted" status. */
export function buildUnsorted(rng: Rng, leads: Lead[], pipelines: Pipeline[]): Unsorted[] {
  const unsortedIds = new Set(pipelines.flatMap((p) => p.statuses.filter((s) => s.type === 1).map((s) => s.id)));
  return leads
    .filter((l) => unsortedIds.has(l.statusId))
    .map((l) => {
      const sip = rng.chance(0.4);
      const phone = `7${String(rng.int(0, 9_999_999_999)).padStart(10, '0')}`;
      return {
        uid: rng.hex(37),
        category: sip ? 'sip' : 'forms',
        sourceName: sip ? 'UIS' : 'Сайт',
        pipelineId: l.pipelineId,
        createdAt: l.createdAt,
        leadId: l.id,
        contactId: l.contacts[0] ?? null,
        metadata: sip
          ? { from: phone, phone: Number(phone), called_at: l.createdAt - 20, duration: String(rng.int(0, 300)), link: null, service_code: 'uis_widget' }
          : { form_id: String(rng.int(1, 9)), form_name: 'Заявка с сайта', form_page: 'https://sandbox.example/contacts', ip: '95.165.1.1', form_sent_at: l.createdAt, referer: 'https://yandex.ru/' },
      };
    });
}
