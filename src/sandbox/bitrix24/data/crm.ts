import type { Rng } from '../rng.js';
import { Table } from '../table.js';
import { dayStart } from '../time.js';
import * as n from '../names.js';
import { sources, stageEntity, stagesOf } from './stages.js';
import { blankItem } from './crm-item.js';
import type { CrmItem, Multifield, Product, ProductRow, StageHistory, Status, User } from './types.js';

const DAY = 86_400_000;
const SPAN = 548 * DAY; // ~18 months

export interface CrmCounts {
  companies: number;
  contacts: number;
  leads: number;
  deals: number;
}

interface Ctx {
  rng: Rng;
  anchor: number;
  owners: { active: number[]; dismissed: number[] };
  nextFm: number;
}

function owner(c: Ctx): number {
  if (c.owners.dismissed.length > 0 && c.rng.chance(0.08)) return c.rng.pick(c.owners.dismissed);
  return c.rng.pick(c.owners.active);
}

/** Creation times ascend with id, as on a real portal; all lie before the anchor. */
function createdAt(c: Ctx, i: number, count: number, span: number): number {
  const t = c.anchor - span + Math.floor(((i + c.rng.next()) / count) * (span - DAY));
  return Math.floor(t / 1000) * 1000;
}

function later(c: Ctx, from: number, maxDays: number): number {
  const room = Math.min(c.anchor - 1000 - from, maxDays * DAY);
  return from + Math.floor((c.rng.next() * Math.max(0, room)) / 1000) * 1000;
}

function phone(c: Ctx): string {
  const d = () => String(c.rng.int(0, 9));
  return `+7 9${d()}${d()} ${d()}${d()}${d()}-${d()}${d()}-${d()}${d()}`;
}

function fm(c: Ctx, typeId: 'PHONE' | 'EMAIL', valueType: string, value: string): Multifield {
  return { id: c.nextFm++, typeId, valueType, value };
}

function person(c: Ctx, it: CrmItem): void {
  const female = c.rng.chance(0.5);
  it.name = c.rng.pick(female ? n.femaleNames : n.maleNames);
  it.lastName = c.rng.pick(n.maleLastNames) + (female ? 'а' : '');
  it.secondName = c.rng.pick(female ? n.femalePatronymics : n.malePatronymics);
}

function marketing(c: Ctx, it: CrmItem): void {
  if (c.rng.chance(0.7)) it.sourceId = (c.rng.pick(sources) as [string, string])[0];
  if (c.rng.chance(0.4)) {
    it.utmSource = c.rng.pick(n.utm.source);
    it.utmMedium = c.rng.pick(n.utm.medium);
    it.utmCampaign = c.rng.pick(n.utm.campaign);
    it.utmContent = c.rng.pick(n.utm.content);
    it.utmTerm = c.rng.pick(n.utm.term);
  }
}

function money(c: Ctx, min: number, max: number): number {
  return Math.round((min + c.rng.next() * (max - min)) * 100) / 100;
}

export function buildCrm(rng: Rng, anchor: number, users: Table<User>, statuses: Table<Status>, categories: number[], counts: CrmCounts, products: Table<Product>) {
  const c: Ctx = {
    rng,
    anchor,
    owners: { active: users.rows.filter((u) => u.active).map((u) => u.id), dismissed: users.rows.filter((u) => !u.active).map((u) => u.id) },
    nextFm: 1,
  };
  const companies = new Table<CrmItem>();
  const contacts = new Table<CrmItem>();
  const leads = new Table<CrmItem>();
  const deals = new Table<CrmItem>();
  const history = new Table<StageHistory>();
  const productRows = new Table<ProductRow>();

  for (let i = 0; i < counts.companies; i++) {
    const it = blankItem(4, i + 1, createdAt(c, i, counts.companies, SPAN + 180 * DAY), 1);
    const word = c.rng.pick(n.companyWords);
    const form = c.rng.pick(n.companyForms);
    it.title = form === 'ИП' ? `ИП ${c.rng.pick(n.maleLastNames)} ${c.rng.pick(n.maleNames).slice(0, 1)}. ${c.rng.pick(n.maleNames).slice(0, 1)}.` : `${form} «${word}»`;
    it.typeId = c.rng.chance(0.8) ? 'CUSTOMER' : 'PARTNER';
    it.assignedById = it.createdBy = it.updatedBy = owner(c);
    it.fm = [fm(c, 'PHONE', 'WORK', phone(c)), fm(c, 'EMAIL', 'WORK', `info@${n.latin(word) || 'company'}${i + 1}.ru`)];
    it.updatedTime = later(c, it.createdTime, 200);
    companies.add(it);
  }
  for (let i = 0; i < counts.contacts; i++) {
    const it = blankItem(3, i + 1, createdAt(c, i, counts.contacts, SPAN + 90 * DAY), 1);
    person(c, it);
    it.post = c.rng.pick(n.clientPosts);
    it.typeId = 'CLIENT';
    it.assignedById = it.createdBy = it.updatedBy = owner(c);
    if (counts.companies > 0 && c.rng.chance(0.5)) it.companyId = c.rng.int(1, counts.companies);
    it.fm = [fm(c, 'PHONE', c.rng.chance(0.7) ? 'MOBILE' : 'WORK', phone(c))];
    if (c.rng.chance(0.6)) it.fm.push(fm(c, 'EMAIL', 'WORK', `${n.latin(it.name ?? '')}.${n.latin(it.lastName ?? '')}${i + 1}@mail.example`));
    marketing(c, it);
    it.updatedTime = later(c, it.createdTime, 120);
    contacts.add(it);
  }

  const addHistory = (it: CrmItem, path: string[], times: number[], entity: string) => {
    path.forEach((stageId, k) => {
      const semantic = semOf(statuses, entity, stageId);
      history.add({ id: history.nextId, entityTypeId: it.entityTypeId, typeId: k === 0 ? 1 : semantic === 'P' ? 2 : 3, ownerId: it.id, createdTime: times[k] as number, categoryId: it.categoryId, stageId, semantic });
    });
  };
  const stageCache = new Map<string, ReturnType<typeof stagesOf>>();
  const walk = (it: CrmItem, entity: string, closedShare: number) => {
    const st = stageCache.get(entity) ?? stagesOf(statuses, entity);
    stageCache.set(entity, st);
    const age = anchor - it.createdTime;
    const closed = c.rng.chance(age > 60 * DAY ? closedShare : closedShare / 3);
    const finalStage = closed ? (c.rng.chance(0.5) ? c.rng.pick(st.won) : c.rng.pick(st.lost)) : c.rng.pick(st.open);
    const path = [st.open[0] as string];
    const reach = closed ? st.open.length : st.open.indexOf(finalStage) + 1;
    for (let k = 1; k < reach; k++) if (c.rng.chance(0.6)) path.push(st.open[k] as string);
    if (path.at(-1) !== finalStage) path.push(finalStage);
    const times = [it.createdTime];
    let t = it.createdTime;
    for (let k = 1; k < path.length; k++) times.push((t = later(c, t, 20)));
    it.stageId = finalStage;
    it.movedTime = t;
    it.movedBy = it.assignedById;
    it.updatedTime = later(c, t, 30);
    addHistory(it, path, times, entity);
    return closed;
  };

  for (let i = 0; i < counts.leads; i++) {
    const it = blankItem(1, i + 1, createdAt(c, i, counts.leads, SPAN), 1);
    person(c, it);
    it.title = `Лид: ${it.name} ${it.lastName}`;
    it.assignedById = it.createdBy = it.updatedBy = owner(c);
    it.opportunity = c.rng.chance(0.5) ? money(c, 3000, 300000) : 0;
    it.fm = [fm(c, 'PHONE', 'MOBILE', phone(c))];
    marketing(c, it);
    walk(it, 'STATUS', 0.7);
    leads.add(it);
  }

  for (let i = 0; i < counts.deals; i++) {
    const id = i + 1;
    const it = blankItem(2, id, createdAt(c, i, counts.deals, SPAN), 1);
    it.categoryId = categories.length > 1 && c.rng.chance(0.35) ? c.rng.pick(categories.slice(1)) : 0;
    it.title = `${c.rng.pick(n.dealWords)} №${id}`;
    it.typeId = c.rng.chance(0.8) ? 'SALE' : 'SERVICE';
    it.assignedById = it.createdBy = it.updatedBy = owner(c);
    if (counts.contacts > 0 && c.rng.chance(0.8)) it.contactId = c.rng.int(1, counts.contacts);
    if (counts.companies > 0 && c.rng.chance(0.6)) it.companyId = c.rng.int(1, counts.companies);
    if (counts.leads > 0 && c.rng.chance(0.2)) it.leadId = c.rng.int(1, counts.leads);
    marketing(c, it);
    it.opportunity = money(c, 5000, 2_000_000);
    if (products.rows.length > 0 && c.rng.chance(0.3)) {
      let sum = 0;
      const lines = c.rng.int(1, 3);
      for (let k = 0; k < lines; k++) {
        const p = c.rng.pick(products.rows);
        const price = money(c, 500, 150000);
        const quantity = c.rng.int(1, 10);
        const discountSum = c.rng.chance(0.2) ? Math.round(price * 0.05 * 100) / 100 : 0;
        productRows.add({ id: productRows.nextId, ownerId: id, ownerType: 'D', productId: p.id, productName: p.name, price, quantity, discountSum, taxRate: c.rng.chance(0.5) ? 20 : null, sort: (k + 1) * 10 });
        sum += (price - discountSum) * quantity;
      }
      it.opportunity = Math.round(sum * 100) / 100;
    }
    const closed = walk(it, stageEntity(it.categoryId), 0.7);
    it.closedate = closed ? dayStart(it.movedTime ?? it.createdTime) : dayStart(it.createdTime) + 30 * DAY;
    deals.add(it);
  }
  return { companies, contacts, leads, deals, history, productRows, nextFm: c.nextFm };
}

export function semOf(statuses: Table<Status>, entity: string, stageId: string): 'P' | 'S' | 'F' {
  for (const s of statuses.rows) if (s.entityId === entity && s.statusId === stageId) return s.semantic ?? 'P';
  return 'P';
}
