import type { Handler } from '../context.js';
import type { Status } from '../data/types.js';
import { errors } from '../errors.js';
import { listPage, type Field, type Fields } from '../query.js';

const f = <R>(kind: Field<R>['kind'], get: (r: R) => unknown): Field<R> => ({ kind, get });
const statusFields: Fields<Status> = {
  ID: f('int', (s) => s.id),
  ENTITY_ID: f('string', (s) => s.entityId),
  STATUS_ID: f('string', (s) => s.statusId),
  NAME: f('string', (s) => s.name),
  SORT: f('int', (s) => s.sort),
  SYSTEM: f('yn', (s) => (s.system ? 'Y' : 'N')),
  CATEGORY_ID: f('int', (s) => s.categoryId),
  SEMANTICS: f('string', (s) => (s.semantic === 'P' ? null : s.semantic)),
};
const extra: Record<string, string> = { P: 'process', S: 'success', F: 'failure' };

function statusWire(s: Status): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ID: String(s.id),
    ENTITY_ID: s.entityId,
    STATUS_ID: s.statusId,
    NAME: s.name,
    NAME_INIT: s.system ? s.name : '',
    SORT: String(s.sort),
    SYSTEM: s.system ? 'Y' : 'N',
    CATEGORY_ID: s.categoryId === null ? null : String(s.categoryId),
    COLOR: s.color,
    SEMANTICS: s.semantic === 'P' ? null : s.semantic,
  };
  if (s.semantic) out.EXTRA = { SEMANTICS: extra[s.semantic], COLOR: s.color };
  return out;
}

// apidocs: api-reference/crm/status/crm-status-list.md, api-reference/crm/universal/category/crm-category-list.md
export const crmStatus: Record<string, Handler> = {
  'crm.status.list': (p, { ctx }) => {
    const page = listPage(ctx.data.statuses, statusFields, { filter: p.filter, order: p.order ?? { SORT: 'ASC' }, start: p.start, idField: 'ID', strict: false });
    return { result: page.rows.map(statusWire), total: page.total, next: page.next };
  },
  'crm.category.list': (p, { ctx }) => {
    if (Number(p.entityTypeId) !== 2) throw errors.notFound('Смарт-процесс не найден');
    const categories = ctx.data.categories.rows.map((c) => ({ id: c.id, name: c.name, sort: c.sort, entityTypeId: 2, isDefault: c.isDefault ? 'Y' : 'N', originId: '', originatorId: '' }));
    return { result: { categories }, total: categories.length };
  },
};
