import type { Ctx, Params } from './context.js';
import { stageEntity, stagesOf } from './data/stages.js';
import type { CrmItem, Multifield } from './data/types.js';
import { blankItem } from './data/crm-item.js';
import { errors, RestError } from './errors.js';
import { entityNames, itemFields, semanticOf, ufCamel } from './methods/crm-item-fields.js';
import type { Table } from './table.js';
import { nowS, parseTime } from './time.js';

export function tableOf(ctx: Ctx, entityTypeId: unknown): Table<CrmItem> {
  const t = { 1: ctx.data.leads, 2: ctx.data.deals, 3: ctx.data.contacts, 4: ctx.data.companies }[Number(entityTypeId)];
  if (!t) throw new RestError(400, 'NOT_FOUND', 'Смарт-процесс не найден');
  return t;
}

/** Legacy UPPER_SNAKE names (STAGE_ID, UF_CRM_X) are accepted as well as camelCase. */
function camel(key: string): string {
  if (!/^[A-Z0-9_]+$/.test(key)) return key;
  if (key.startsWith('UF_CRM_')) return ufCamel(key);
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const text = ['title', 'name', 'secondName', 'lastName', 'post', 'typeId', 'currencyId', 'sourceId', 'sourceDescription', 'utmSource', 'utmMedium', 'utmCampaign', 'utmContent', 'utmTerm', 'comments'] as const;
const ints = ['assignedById', 'contactId', 'companyId', 'leadId'] as const;

function intOrNull(v: unknown): number | null {
  if (v === null || v === '' || v === undefined) return null;
  const n = Number(v);
  if (Number.isNaN(n)) throw new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', `Неверное значение поля "${String(v)}"`);
  return n === 0 ? null : n;
}

function applyFields(ctx: Ctx, it: CrmItem, raw: Params, by: number): boolean {
  const fields = Object.fromEntries(Object.entries(raw).map(([k, v]) => [camel(k), v]));
  const rec = it as unknown as Record<string, unknown>;
  for (const k of text) if (k in fields) rec[k] = fields[k] === null ? null : String(fields[k]);
  for (const k of ints) if (k in fields) rec[k] = intOrNull(fields[k]);
  if ('contactIds' in fields && Array.isArray(fields.contactIds)) it.contactId = intOrNull(fields.contactIds[0]);
  if ('opportunity' in fields) it.opportunity = fields.opportunity === null ? null : Math.round(Number(fields.opportunity) * 100) / 100;
  if ('opened' in fields) it.opened = fields.opened === 'N' || fields.opened === false ? 'N' : 'Y';
  for (const k of ['begindate', 'closedate'] as const) if (k in fields) it[k] = parseTime(String(fields[k] ?? ''));
  if (Array.isArray(fields.fm)) it.fm = fields.fm.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null).map((m): Multifield => ({ id: ctx.data.nextMultifieldId++, typeId: m.typeId === 'EMAIL' ? 'EMAIL' : 'PHONE', valueType: String(m.valueType ?? 'WORK'), value: String(m.value ?? '') }));
  const ufSpecs = itemFields(ctx.data, it.entityTypeId);
  for (const [k, v] of Object.entries(fields)) {
    if (!k.startsWith('ufCrm') || !ufSpecs[k]) continue;
    it.uf ??= {};
    it.uf[k] = ufSpecs[k].kind === 'date' ? parseTime(String(v ?? '')) : v;
  }
  if (it.entityTypeId !== 1 && it.entityTypeId !== 2) return false;
  let stage = 'stageId' in fields ? String(fields.stageId) : 'statusId' in fields ? String(fields.statusId) : null;
  if (it.entityTypeId === 2 && 'categoryId' in fields && Number(fields.categoryId) !== it.categoryId) {
    const c = Number(fields.categoryId);
    if (!ctx.data.categories.get(c)) throw new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', 'Неверное значение поля "categoryId"');
    it.categoryId = c;
    if (stage === null || !stage.startsWith(c === 0 ? '' : `C${c}:`)) stage = stagesOf(ctx.data.statuses, stageEntity(c)).open[0] ?? null;
  }
  if (stage === null || stage === it.stageId) return false;
  const entity = it.entityTypeId === 1 ? 'STATUS' : stageEntity(it.categoryId);
  if (!ctx.data.semantics.has(`${entity}|${stage}`)) throw new RestError(400, 'CRM_FIELD_ERROR_VALUE_NOT_VALID', 'Неверное значение поля "stageId"');
  it.stageId = stage;
  it.movedTime = nowS();
  it.movedBy = by;
  return true;
}

function recordStage(ctx: Ctx, it: CrmItem, first: boolean): void {
  const semantic = semanticOf(ctx.data, it);
  ctx.data.stageHistory.add({ id: ctx.data.stageHistory.nextId, entityTypeId: it.entityTypeId, typeId: first ? 1 : semantic === 'P' ? 2 : 3, ownerId: it.id, createdTime: it.movedTime ?? nowS(), categoryId: it.categoryId, stageId: it.stageId ?? '', semantic });
}

function fire(ctx: Ctx, entityTypeId: number, action: 'ADD' | 'UPDATE' | 'DELETE', id: number): void {
  ctx.events.fire(`ONCRM${entityNames[entityTypeId]?.event ?? ''}${action}`, { FIELDS: { ID: id } });
}

export function addItem(ctx: Ctx, entityTypeId: number, fields: Params, by: number): CrmItem {
  const table = tableOf(ctx, entityTypeId);
  const now = nowS();
  const it = blankItem(entityTypeId, table.nextId, now, by);
  if (entityTypeId === 1) it.stageId = 'NEW';
  if (entityTypeId === 2) it.stageId = stagesOf(ctx.data.statuses, stageEntity(0)).open[0] ?? 'NEW';
  applyFields(ctx, it, fields, by);
  it.movedTime = entityTypeId <= 2 ? now : null;
  it.title ??= entityTypeId === 3 ? null : `${entityNames[entityTypeId]?.name ?? ''} #${it.id}`;
  table.add(it);
  if (entityTypeId <= 2) recordStage(ctx, it, true);
  fire(ctx, entityTypeId, 'ADD', it.id);
  return it;
}

export function updateItem(ctx: Ctx, entityTypeId: number, id: number, fields: Params, by: number): CrmItem {
  const table = tableOf(ctx, entityTypeId);
  const it = table.get(id);
  if (!it) throw errors.notFound('Элемент не найден');
  const moved = applyFields(ctx, it, fields, by);
  it.updatedTime = nowS();
  it.updatedBy = by;
  table.touch();
  if (moved) recordStage(ctx, it, false);
  fire(ctx, entityTypeId, 'UPDATE', id);
  return it;
}

export function deleteItem(ctx: Ctx, entityTypeId: number, id: number): void {
  const table = tableOf(ctx, entityTypeId);
  if (!table.remove(id)) throw errors.notFound('Элемент не найден');
  fire(ctx, entityTypeId, 'DELETE', id);
}
