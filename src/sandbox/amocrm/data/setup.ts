import type { Rng } from '../../bitrix24/rng.js';
import { Table } from '../../bitrix24/table.js';
import * as n from '../../bitrix24/names.js';
import type { Catalog, CustomField, FieldEntity, Group, LossReason, Pipeline, Status, Tag, User } from '../types.js';

const DAY = 86_400;

export function buildUsers(rng: Rng, total: number, inactive: number) {
  const groups: Group[] = [
    { id: 0, name: 'Отдел продаж' },
    { id: rng.int(300_000, 399_999), name: 'Менеджеры' },
    { id: rng.int(400_000, 499_999), name: 'Ключевые клиенты' },
  ];
  const users = new Table<User>();
  let id = rng.int(5_000_000, 9_000_000);
  const count = Math.max(1, total);
  for (let i = 0; i < count; i++) {
    const female = rng.chance(0.45);
    const first = rng.pick(female ? n.femaleNames : n.maleNames);
    const last = rng.pick(n.maleLastNames) + (female ? 'а' : '');
    users.add({
      id,
      name: `${first} ${last}`,
      email: `${n.latin(first)}.${n.latin(last)}@sandbox.example`,
      lang: 'ru',
      // The installing admin is active; the last `inactive` users left the company.
      isActive: i === 0 || i < count - inactive,
      isAdmin: i === 0,
      groupId: i === 0 ? null : (rng.pick(groups) as Group).id || null,
      roleId: null,
    });
    id += rng.int(1, 40_000);
  }
  return { groups, users };
}

const STAGES = ['Первичный контакт', 'Переговоры', 'Принимают решение', 'Согласование договора', 'Выставлен счёт', 'Ожидание оплаты'];
const PIPELINES = ['Воронка', 'Тендеры', 'Повторные продажи', 'Партнёры', 'Опт'];
const COLORS = ['#99ccff', '#ffcc66', '#ffff99', '#ccc8f9', '#98cbff', '#deff81', '#87f2c0'];

export function buildPipelines(rng: Rng, count: number): Pipeline[] {
  const out: Pipeline[] = [];
  let statusId = rng.int(50_000_000, 60_000_000);
  let pipelineId = rng.int(5_000_000, 7_000_000);
  for (let p = 0; p < Math.max(1, count); p++) {
    const id = pipelineId;
    const status = (name: string, sort: number, type: 0 | 1, color: string, editable: boolean, sid?: number): Status => ({
      id: sid ?? (statusId += rng.int(1, 9)),
      name,
      sort,
      pipelineId: id,
      color,
      type,
      isEditable: editable,
    });
    const stages = STAGES.slice(0, rng.int(3, STAGES.length));
    out.push({
      id,
      name: PIPELINES[p % PIPELINES.length] + (p >= PIPELINES.length ? ` ${p + 1}` : ''),
      sort: (p + 1) * 10,
      isMain: p === 0,
      isArchive: false,
      statuses: [
        status('Неразобранное', 10, 1, '#c1c1c1', false),
        ...stages.map((s, i) => status(s, 20 + i * 10, 0, COLORS[i % COLORS.length] as string, true)),
        // 142 and 143 are the same ids in every pipeline (documented).
        status('Успешно реализовано', 10000, 0, '#CCFF66', false, 142),
        status('Закрыто и не реализовано', 11000, 0, '#D5D8DB', false, 143),
      ],
    });
    pipelineId += rng.int(1, 50_000);
  }
  return out;
}

export function buildLossReasons(rng: Rng, anchor: number): LossReason[] {
  const names = ['Дорого', 'Выбрали конкурента', 'Пропала потребность', 'Не дозвонились', 'Нет бюджета', 'Сроки не устроили'];
  let id = rng.int(4_000_000, 4_500_000);
  return names.map((name, i) => ({ id: (id += rng.int(1, 30)), name, sort: (i + 1) * 100_000, createdAt: anchor - 600 * DAY }));
}

export const TRACKING = [
  ['utm_source', 'UTM_SOURCE'],
  ['utm_medium', 'UTM_MEDIUM'],
  ['utm_campaign', 'UTM_CAMPAIGN'],
  ['utm_content', 'UTM_CONTENT'],
  ['utm_term', 'UTM_TERM'],
] as const;

/** Field ids start at a seed-dependent number, so an adapter cannot hard-code them. */
export function buildFields(rng: Rng, catalogId: number) {
  const fields = new Table<CustomField>();
  let id = rng.int(300_000, 900_000);
  let enumId = rng.int(1_000_000, 2_000_000);
  let sort = 500;
  const add = (entity: FieldEntity, name: string, code: string | null, type: string, enums: string[] | null = null, predefined = false) => {
    id += rng.int(1, 60);
    fields.add({
      id,
      entity,
      catalogId: entity === 'catalogs' ? catalogId : null,
      name,
      code,
      type,
      sort: sort++,
      isPredefined: predefined,
      isApiOnly: false,
      enums: enums ? enums.map((value, i) => ({ id: (enumId += rng.int(1, 5)), value, sort: (i + 1) * 2 })) : null,
    });
    return id;
  };
  for (const [name, code] of TRACKING) add('leads', name, code, 'tracking_data', null, true);
  add('leads', 'Сумма по договору', null, 'text');
  add('leads', 'Маржа', null, 'numeric');
  add('leads', 'Источник', null, 'select', ['Сайт', 'Звонок', 'Рекомендация', 'Выставка', 'Повторный клиент']);
  add('leads', 'Дата оплаты', null, 'date');
  for (const entity of ['contacts', 'companies'] as const) {
    add(entity, 'Телефон', 'PHONE', 'multitext', ['WORK', 'WORKDD', 'MOB', 'FAX', 'HOME', 'OTHER'], true);
    add(entity, 'Email', 'EMAIL', 'multitext', ['WORK', 'PRIV', 'OTHER'], true);
  }
  add('contacts', 'Должность', 'POSITION', 'text', null, true);
  add('companies', 'Web', 'WEB', 'url', null, true);
  add('companies', 'Адрес', 'ADDRESS', 'textarea', null, true);
  add('catalogs', 'Артикул', 'SKU', 'text', null, true);
  add('catalogs', 'Описание', 'DESCRIPTION', 'textarea', null, true);
  add('catalogs', 'Цена', 'PRICE', 'numeric', null, true);
  add('catalogs', 'Группа', 'GROUP', 'category', ['Оборудование', 'Лицензии', 'Услуги'], true);
  return { fields, nextFieldId: id + 100, nextEnumId: enumId + 100 };
}

export function buildTags(rng: Rng): Table<Tag> {
  const tags = new Table<Tag>();
  let id = rng.int(100_000, 200_000);
  for (const name of ['VIP', 'Тендер', 'Повторная', 'Сайт', 'Выставка', 'Срочно', 'Опт', 'Регион']) tags.add({ id: (id += rng.int(1, 20)), name, color: null });
  return tags;
}

export function buildCatalogs(rng: Rng, anchor: number, adminId: number): Catalog[] {
  const created = anchor - 540 * DAY;
  const base = rng.int(4_000, 9_000);
  return [
    { id: base, name: 'Товары', type: 'products', sort: 10, createdBy: adminId, createdAt: created, updatedAt: created },
    { id: base + rng.int(1, 50), name: 'Счета', type: 'invoices', sort: 20, createdBy: adminId, createdAt: created, updatedAt: created },
  ];
}
