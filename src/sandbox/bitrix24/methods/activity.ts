import { cost, type Handler } from '../context.js';
import type { Activity } from '../data/types.js';
import { errors } from '../errors.js';
import { listPage, pick, type Field, type Fields } from '../query.js';
import { iso, nowS, parseTime } from '../time.js';

const f = <R>(kind: Field<R>['kind'], get: (r: R) => unknown): Field<R> => ({ kind, get });
const fields: Fields<Activity> = {
  ID: f('int', (a) => a.id),
  OWNER_ID: f('int', (a) => a.ownerId),
  OWNER_TYPE_ID: f('int', (a) => a.ownerTypeId),
  TYPE_ID: f('int', (a) => a.typeId),
  PROVIDER_ID: f('string', (a) => a.providerId),
  PROVIDER_TYPE_ID: f('string', (a) => a.providerTypeId),
  DIRECTION: f('int', (a) => a.direction),
  SUBJECT: f('string', (a) => a.subject),
  RESPONSIBLE_ID: f('int', (a) => a.responsibleId),
  AUTHOR_ID: f('int', (a) => a.authorId),
  DEADLINE: f('date', (a) => a.deadline),
  START_TIME: f('date', (a) => a.startTime),
  END_TIME: f('date', (a) => a.endTime),
  COMPLETED: f('yn', (a) => a.completed),
  CREATED: f('date', (a) => a.created),
  LAST_UPDATED: f('date', (a) => a.lastUpdated),
};

/** crm.activity.* answers every value as a string, dates in ISO 8601. */
function wire(a: Activity): Record<string, unknown> {
  return {
    ID: String(a.id),
    OWNER_ID: String(a.ownerId),
    OWNER_TYPE_ID: String(a.ownerTypeId),
    TYPE_ID: String(a.typeId),
    PROVIDER_ID: a.providerId,
    PROVIDER_TYPE_ID: a.providerTypeId,
    PROVIDER_GROUP_ID: null,
    ASSOCIATED_ENTITY_ID: '0',
    SUBJECT: a.subject,
    CREATED: iso(a.created),
    LAST_UPDATED: iso(a.lastUpdated),
    START_TIME: iso(a.startTime),
    END_TIME: iso(a.endTime),
    DEADLINE: iso(a.deadline),
    COMPLETED: a.completed,
    STATUS: a.completed === 'Y' ? '2' : '1',
    RESPONSIBLE_ID: String(a.responsibleId),
    PRIORITY: '2',
    NOTIFY_TYPE: '1',
    NOTIFY_VALUE: '15',
    DESCRIPTION: a.description,
    DESCRIPTION_TYPE: '1',
    DIRECTION: String(a.direction),
    LOCATION: '',
    SETTINGS: [],
    ORIGINATOR_ID: null,
    ORIGIN_ID: null,
    AUTHOR_ID: String(a.authorId),
    EDITOR_ID: String(a.authorId),
  };
}

// apidocs: api-reference/crm/timeline/activities/activity-base/crm-activity-list.md, crm-activity-update.md
export const activities: Record<string, Handler> = {
  'crm.activity.list': (p, { ctx }) => {
    const page = listPage(ctx.data.activities, fields, { filter: p.filter, order: p.order, start: p.start, idField: 'ID', strict: false });
    const rows = page.rows.map((a) => pick(wire(a), p.select, ['ID']));
    return { result: rows, total: page.total, next: page.next, cost: cost(rows.length, page.scanned) };
  },
  'crm.activity.get': (p, { ctx }) => {
    const a = ctx.data.activities.get(Number(p.id ?? p.ID));
    if (!a) throw errors.notFound();
    return { result: wire(a) };
  },
  'crm.activity.update': (p, { ctx }) => {
    const a = ctx.data.activities.get(Number(p.id ?? p.ID));
    if (!a) throw errors.notFound();
    const fl = (p.fields ?? {}) as Record<string, unknown>;
    if (fl.RESPONSIBLE_ID !== undefined) {
      const r = Number(fl.RESPONSIBLE_ID);
      if (!ctx.data.users.get(r)) throw errors.argValue('RESPONSIBLE_ID: user not found');
      a.responsibleId = r;
    }
    if (fl.COMPLETED !== undefined) a.completed = fl.COMPLETED === 'Y' || fl.COMPLETED === true ? 'Y' : 'N';
    if (fl.SUBJECT !== undefined) a.subject = String(fl.SUBJECT);
    if (fl.DEADLINE !== undefined) a.deadline = parseTime(String(fl.DEADLINE)) ?? a.deadline;
    a.lastUpdated = nowS();
    ctx.data.activities.touch();
    ctx.events.fire('ONCRMACTIVITYUPDATE', { FIELDS: { ID: a.id } });
    return { result: true, cost: 0.05 };
  },
};
