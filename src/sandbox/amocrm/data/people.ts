import type { Rng } from '../../bitrix24/rng.js';
import { Table } from '../../bitrix24/table.js';
import * as n from '../../bitrix24/names.js';
import type { CfValue, Company, Contact, CustomField, User } from '../types.js';

const DAY = 86_400;
export const SPAN_DAYS = 548; // about 18 months of history

export interface FieldIds {
  get(entity: 'leads' | 'contacts' | 'companies' | 'catalogs', code: string): CustomField;
}

export function fieldLookup(fields: Table<CustomField>): FieldIds {
  const map = new Map<string, CustomField>();
  for (const f of fields.rows) {
    map.set(`${f.entity}:${f.name}`, f);
    if (f.code) map.set(`${f.entity}:${f.code}`, f);
  }
  return {
    get(entity, code) {
      const f = map.get(`${entity}:${code}`);
      if (!f) throw new Error(`amocrm sandbox: no ${entity} field ${code}`);
      return f;
    },
  };
}

function enumValue(f: CustomField, code: string, value: string) {
  const e = f.enums?.find((x) => x.value === code);
  return { value, enum_id: e?.id ?? 0, enum_code: code };
}

function phone(rng: Rng): string {
  return `+79${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
}

function contactCf(rng: Rng, ids: FieldIds, entity: 'contacts' | 'companies', mail: string): CfValue[] {
  const out: CfValue[] = [];
  const ph = ids.get(entity, 'PHONE');
  const phones = [enumValue(ph, rng.chance(0.6) ? 'MOB' : 'WORK', phone(rng))];
  if (rng.chance(0.2)) phones.push(enumValue(ph, 'WORK', phone(rng)));
  out.push({ fieldId: ph.id, values: phones });
  if (rng.chance(0.7)) out.push({ fieldId: ids.get(entity, 'EMAIL').id, values: [enumValue(ids.get(entity, 'EMAIL'), 'WORK', mail)] });
  return out;
}

function owner(rng: Rng, users: User[]): number {
  return (rng.pick(users) as User).id;
}

export function buildCompanies(rng: Rng, anchor: number, count: number, users: User[], ids: FieldIds): Table<Company> {
  const t = new Table<Company>();
  let id = rng.int(20_000_000, 30_000_000);
  const times = Array.from({ length: count }, () => anchor - rng.int(0, SPAN_DAYS * DAY)).sort((a, b) => a - b);
  for (const createdAt of times) {
    const word = rng.pick(n.companyWords);
    const name = `${rng.pick(n.companyForms)} «${word}»${rng.chance(0.3) ? ` ${rng.pick(['Москва', 'СПб', 'Урал', 'Сибирь', 'Юг'])}` : ''}`;
    const by = owner(rng, users);
    const cf = contactCf(rng, ids, 'companies', `info@${n.latin(word) || 'company'}${t.rows.length}.ru`);
    if (rng.chance(0.5)) cf.push({ fieldId: ids.get('companies', 'WEB').id, values: [{ value: `https://${n.latin(word) || 'company'}.ru` }] });
    t.add({
      id: (id += rng.int(1, 30)),
      name,
      responsibleUserId: by,
      groupId: 0,
      createdBy: by,
      updatedBy: by,
      createdAt,
      updatedAt: Math.min(anchor, createdAt + rng.int(0, 30 * DAY)),
      closestTaskAt: null,
      isDeleted: false,
      cf,
      tags: [],
      contacts: [],
      leads: [],
    });
  }
  return t;
}

export function buildContacts(rng: Rng, anchor: number, count: number, users: User[], ids: FieldIds, companies: Table<Company>): Table<Contact> {
  const t = new Table<Contact>();
  let id = rng.int(30_000_001, 40_000_000);
  const times = Array.from({ length: count }, () => anchor - rng.int(0, SPAN_DAYS * DAY)).sort((a, b) => a - b);
  for (const createdAt of times) {
    const female = rng.chance(0.45);
    const firstName = rng.pick(female ? n.femaleNames : n.maleNames);
    const lastName = rng.pick(n.maleLastNames) + (female ? 'а' : '');
    const by = owner(rng, users);
    const company = companies.rows.length && rng.chance(0.7) ? rng.pick(companies.rows) : null;
    const cf = contactCf(rng, ids, 'contacts', `${n.latin(firstName)}.${n.latin(lastName)}${t.rows.length}@mail.ru`);
    const post = rng.pick(n.clientPosts);
    if (post) cf.push({ fieldId: ids.get('contacts', 'POSITION').id, values: [{ value: post }] });
    const row: Contact = {
      id: (id += rng.int(1, 30)),
      name: `${firstName} ${lastName}`,
      firstName,
      lastName,
      responsibleUserId: by,
      groupId: 0,
      createdBy: by,
      updatedBy: by,
      createdAt,
      updatedAt: Math.min(anchor, createdAt + rng.int(0, 30 * DAY)),
      closestTaskAt: null,
      isDeleted: false,
      cf,
      tags: [],
      companyId: company?.id ?? null,
      leads: [],
    };
    t.add(row);
    company?.contacts.push(row.id);
  }
  return t;
}
