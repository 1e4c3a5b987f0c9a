import type { Rng } from '../../bitrix24/rng.js';
import { Table } from '../../bitrix24/table.js';
import * as n from '../../bitrix24/names.js';
import type { AmoEvent, CatalogElement, CfValue, Company, Contact, LossReason, Lead, Pipeline, Tag, User } from '../types.js';
import { eventId } from './event-log.js';
import { SPAN_DAYS, type FieldIds } from './people.js';
import { TRACKING } from './setup.js';

const HOUR = 3600;
const DAY = 86_400;

export interface LeadWorld {
  users: User[];
  pipelines: Pipeline[];
  lossReasons: LossReason[];
  tags: Table<Tag>;
  contacts: Table<Contact>;
  companies: Table<Company>;
  elements: CatalogElement[];
  ids: FieldIds;
}

/** Index of the first row created after t (rows are in creation order). */
function createdBefore(rows: { createdAt: number }[], t: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid] as { createdAt: number }).createdAt <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function contractSum(rng: Rng, price: number): string {
  const v = price || rng.int(5, 500) * 1000;
  const spaced = v.toLocaleString('ru-RU').replace(/\u00a0/g, ' ');
  return rng.pick([String(v), spaced, `${spaced} руб.`, `${v}.50`, `${Math.round(v / 1000)} тыс.`]);
}

function leadCf(rng: Rng, w: LeadWorld, price: number, won: boolean, closedAt: number | null): CfValue[] {
  const cf: CfValue[] = [];
  if (rng.chance(0.4)) {
    const pools = [n.utm.source, n.utm.medium, n.utm.campaign, n.utm.content, n.utm.term];
    TRACKING.forEach(([, code], i) => {
      const v = rng.pick(pools[i] as readonly (string | null)[]);
      if (v !== null) cf.push({ fieldId: w.ids.get('leads', code).id, values: [{ value: v }] });
    });
  }
  if (rng.chance(0.25)) cf.push({ fieldId: w.ids.get('leads', 'Сумма по договору').id, values: [{ value: contractSum(rng, price) }] });
  if (rng.chance(0.2)) cf.push({ fieldId: w.ids.get('leads', 'Маржа').id, values: [{ value: String(Math.round(price * rng.int(5, 40) / 100)) }] });
  if (rng.chance(0.5)) {
    const f = w.ids.get('leads', 'Источник');
    const e = rng.pick(f.enums ?? []);
    if (e) cf.push({ fieldId: f.id, values: [{ value: e.value, enum_id: e.id }] });
  }
  if (won && closedAt && rng.chance(0.5)) cf.push({ fieldId: w.ids.get('leads', 'Дата оплаты').id, values: [{ value: closedAt + rng.int(0, 10) * DAY }] });
  return cf;
}

/** Leads with a status history that the events list replays exactly. */
export function buildLeads(rng: Rng, anchor: number, count: number, w: LeadWorld) {
  const leads = new Table<Lead>();
  const events: AmoEvent[] = [];
  const active = w.users.filter((u) => u.isActive);
  const leftAt = anchor - rng.int(60, 150) * DAY; // when the inactive users left
  let id = rng.int(10_000_000, 20_000_000);
  let noteId = rng.int(100_000_000, 200_000_000);
  const ev = (type: string, entityId: number, createdBy: number, createdAt: number, v: number[]) =>
    events.push({ id: eventId(rng, createdAt), type, entityType: 'lead', entityId, createdBy, createdAt, v });
  const times = Array.from({ length: count }, () => anchor - rng.int(HOUR, SPAN_DAYS * DAY)).sort((a, b) => a - b);

  for (const createdAt of times) {
    id += rng.int(1, 40);
    const pipeline = (rng.chance(0.7) ? w.pipelines[0] : rng.pick(w.pipelines)) as Pipeline;
    const stages = pipeline.statuses.filter((s) => s.type === 0 && s.id !== 142 && s.id !== 143);
    const unsorted = pipeline.statuses.find((s) => s.type === 1);
    let owner = (rng.pick(w.users) as User).id;
    const ownerRow = w.users.find((u) => u.id === owner);
    if (ownerRow && !ownerRow.isActive && createdAt > leftAt) owner = (rng.pick(active) as User).id;
    const creator = owner;
    ev('lead_added', id, creator, createdAt, [noteId++]);

    const old = anchor - createdAt > 60 * DAY;
    const roll = rng.next();
    const outcome = old ? (roll < 0.42 ? 142 : roll < 0.82 ? 143 : 0) : roll < 0.12 ? 142 : roll < 0.25 ? 143 : 0;
    let status = rng.chance(0.15) && unsorted ? unsorted.id : (stages[0]?.id ?? 142);
    let t = createdAt;
    let updatedBy = creator;
    let closedAt: number | null = null;
    const move = (to: number): boolean => {
      const next = t + rng.int(HOUR, 12 * DAY);
      if (next >= anchor) return false;
      t = next;
      ev('lead_status_changed', id, owner, t, [status, pipeline.id, to, pipeline.id]);
      status = to;
      updatedBy = owner;
      if (to === 142 || to === 143) closedAt = t;
      return true;
    };
    // A lead still in "unsorted" stays there only while young and open.
    if (status === unsorted?.id && (outcome !== 0 || rng.chance(0.6))) move(stages[0]?.id ?? 142);
    if (status !== unsorted?.id) {
      const reach = rng.int(0, Math.max(0, stages.length - 1));
      for (let k = 1; k <= reach; k++) if (!move((stages[k] as { id: number }).id)) break;
      if (outcome) move(outcome);
    }
    // Some leads changed hands, always when their manager left the company.
    const ownerLeft = !w.users.find((u) => u.id === owner)?.isActive;
    if ((ownerLeft && status !== 142 && status !== 143 && rng.chance(0.5)) || rng.chance(0.08)) {
      const to = (rng.pick(active) as User).id;
      const at = Math.max(t + HOUR, ownerLeft ? leftAt + rng.int(0, 5) * DAY : t + rng.int(HOUR, 5 * DAY));
      if (to !== owner && at < anchor) {
        const admin = (w.users[0] as User).id;
        ev('entity_responsible_changed', id, admin, at, [owner, to]);
        owner = to;
        updatedBy = admin;
        t = at;
      }
    }
    const price = rng.chance(0.1) ? 0 : rng.chance(0.7) ? rng.int(10, 900) * 1000 : rng.int(1, 999) * 100;
    const contacts: number[] = [];
    const known = createdBefore(w.contacts.rows, createdAt);
    if (w.contacts.rows.length && rng.chance(0.85)) {
      // Mostly a contact created shortly before the lead, so no early contact collects every lead.
      const win = Math.max(10, Math.round(w.contacts.rows.length / 20));
      const hi = known ? known - 1 : w.contacts.rows.length - 1;
      const pick = () => (w.contacts.rows[rng.int(Math.max(0, hi - win), hi)] as Contact).id;
      contacts.push(pick());
      if (rng.chance(0.15)) {
        const second = pick();
        if (second !== contacts[0]) contacts.push(second);
      }
    }
    const main = contacts[0] === undefined ? undefined : w.contacts.get(contacts[0]);
    const companyId = main?.companyId ?? (w.companies.rows.length && rng.chance(0.15) ? (rng.pick(w.companies.rows) as Company).id : null);
    const lead: Lead = {
      id,
      name: rng.chance(0.2) ? `Сделка #${id}` : `${rng.pick(n.dealWords)}${main ? ` — ${main.lastName}` : ''}`,
      price,
      responsibleUserId: owner,
      groupId: 0,
      statusId: status,
      pipelineId: pipeline.id,
      lossReasonId: status === 143 && rng.chance(0.75) ? (rng.pick(w.lossReasons) as LossReason).id : null,
      createdBy: creator,
      updatedBy,
      createdAt,
      updatedAt: Math.min(anchor, t + (rng.chance(0.3) ? rng.int(60, 2 * DAY) : 0)),
      closedAt,
      closestTaskAt: null,
      isDeleted: false,
      cf: [],
      tags: rng.chance(0.2) ? [(rng.pick(w.tags.rows) as Tag).id] : [],
      contacts,
      companyId,
      catalogElements: [],
    };
    lead.cf = leadCf(rng, w, price, status === 142, lead.closedAt);
    if (w.elements.length && rng.chance(0.25)) {
      for (let k = rng.int(1, 3); k > 0; k--) {
        const e = rng.pick(w.elements) as CatalogElement;
        if (!lead.catalogElements.some((x) => x.id === e.id)) lead.catalogElements.push({ id: e.id, catalogId: e.catalogId, quantity: rng.int(1, 10) });
      }
    }
    leads.add(lead);
    for (const c of contacts) w.contacts.get(c)?.leads.push(id);
    if (companyId !== null) w.companies.get(companyId)?.leads.push(id);
  }
  return { leads, events };
}
