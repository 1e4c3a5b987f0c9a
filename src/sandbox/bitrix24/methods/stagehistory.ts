import { cost, type Handler } from '../context.js';
import type { StageHistory } from '../data/types.js';
import { errors } from '../errors.js';
import { listPage, pick, type Field, type Fields } from '../query.js';
import { iso } from '../time.js';

const f = <R>(kind: Field<R>['kind'], get: (r: R) => unknown): Field<R> => ({ kind, get });

function fieldsFor(lead: boolean): Fields<StageHistory> {
  const common: Fields<StageHistory> = {
    ID: f('int', (h) => h.id),
    TYPE_ID: f('int', (h) => h.typeId),
    OWNER_ID: f('int', (h) => h.ownerId),
    CREATED_TIME: f('date', (h) => h.createdTime),
  };
  return lead
    ? { ...common, STATUS_SEMANTIC_ID: f('string', (h) => h.semantic), STATUS_ID: f('string', (h) => h.stageId) }
    : { ...common, CATEGORY_ID: f('int', (h) => h.categoryId), STAGE_SEMANTIC_ID: f('string', (h) => h.semantic), STAGE_ID: f('string', (h) => h.stageId) };
}

// apidocs: api-reference/crm/crm-stagehistory-list.md (items with integer ids, dates in ISO 8601)
export const stageHistory: Record<string, Handler> = {
  'crm.stagehistory.list': (p, { ctx }) => {
    const entityTypeId = Number(p.entityTypeId);
    if (entityTypeId !== 1 && entityTypeId !== 2) throw errors.argValue('entityTypeId: only leads (1), deals (2) and smart processes are supported');
    const fields = fieldsFor(entityTypeId === 1);
    const page = listPage(ctx.data.stageHistory, fields, { filter: p.filter, order: p.order, start: p.start, idField: 'ID', strict: false, base: (h) => h.entityTypeId === entityTypeId });
    const items = page.rows.map((h) => {
      const out: Record<string, unknown> = {};
      for (const [k, spec] of Object.entries(fields)) out[k] = spec.kind === 'date' ? iso(spec.get(h) as number) : spec.get(h);
      return pick(out, p.select, ['ID']);
    });
    return { result: { items }, total: page.total, next: page.next, cost: cost(items.length, page.scanned) };
  },
};
