import { cost, type Handler, type Params } from '../context.js';
import { addItem, deleteItem, tableOf, updateItem } from '../crm-writes.js';
import { errors } from '../errors.js';
import { listPage, pick } from '../query.js';
import { itemFields, itemWire } from './crm-item-fields.js';

function fieldsParam(p: Params): Params {
  const f = p.fields;
  if (f === undefined || f === null || typeof f !== 'object' || Array.isArray(f)) throw errors.required('fields');
  return f as Params;
}

function idParam(p: Params): number {
  const id = Number(p.id);
  if (!Number.isInteger(id) || id <= 0) throw errors.required('id');
  return id;
}

// apidocs: api-reference/crm/universal/crm-item-{list,get,add,update,delete}.md
export const crmItem: Record<string, Handler> = {
  'crm.item.list': (p, { ctx }) => {
    const table = tableOf(ctx, p.entityTypeId);
    const fields = itemFields(ctx.data, Number(p.entityTypeId));
    const page = listPage(table, fields, { filter: p.filter, order: p.order, start: p.start, idField: 'id', strict: true });
    const items = page.rows.map((r) => pick(itemWire(fields, r), p.select, ['id']));
    return { result: { items }, total: page.total, next: page.next, cost: cost(items.length, page.scanned) };
  },
  'crm.item.get': (p, { ctx }) => {
    const table = tableOf(ctx, p.entityTypeId);
    const it = table.get(idParam(p));
    if (!it) throw errors.notFound('Элемент не найден');
    return { result: { item: itemWire(itemFields(ctx.data, it.entityTypeId), it) } };
  },
  'crm.item.add': (p, { ctx, caller }) => {
    tableOf(ctx, p.entityTypeId);
    const it = addItem(ctx, Number(p.entityTypeId), fieldsParam(p), caller.userId);
    return { result: { item: itemWire(itemFields(ctx.data, it.entityTypeId), it) }, cost: 0.05 };
  },
  'crm.item.update': (p, { ctx, caller }) => {
    tableOf(ctx, p.entityTypeId);
    const it = updateItem(ctx, Number(p.entityTypeId), idParam(p), fieldsParam(p), caller.userId);
    return { result: { item: itemWire(itemFields(ctx.data, it.entityTypeId), it) }, cost: 0.05 };
  },
  'crm.item.delete': (p, { ctx }) => {
    deleteItem(ctx, Number(p.entityTypeId), idParam(p));
    return { result: [], cost: 0.05 };
  },
  'crm.item.fields': (p, { ctx }) => {
    tableOf(ctx, p.entityTypeId);
    const fields = itemFields(ctx.data, Number(p.entityTypeId));
    const types: Record<string, string> = { int: 'integer', float: 'double', string: 'string', date: 'datetime', yn: 'char', bool: 'boolean', list: 'integer' };
    const out = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, { type: types[f.kind], isRequired: false, isReadOnly: k === 'id', isImmutable: false, isMultiple: f.kind === 'list', isDynamic: k.startsWith('uf'), title: k }]));
    return { result: { fields: out } };
  },
};
