import type { Handler, Params } from '../context.js';
import { errors } from '../errors.js';
import { iso, nowS } from '../time.js';

// apidocs: api-reference/tasks/tasks-task-add.md, api-reference/crm/timeline/comments/crm-timeline-comment-add.md
export const misc: Record<string, Handler> = {
  'tasks.task.add': (p, { ctx, caller }) => {
    const fl = (p.fields ?? {}) as Params;
    if (!fl.TITLE) throw errors.argValue('Не указано название задачи');
    const responsible = Number(fl.RESPONSIBLE_ID ?? caller.userId);
    if (!ctx.data.users.get(responsible)) throw errors.argValue('Ответственный не найден');
    const id = ++ctx.counters.tasks;
    const now = iso(nowS());
    const task = { id: String(id), title: String(fl.TITLE), description: String(fl.DESCRIPTION ?? ''), responsibleId: String(responsible), createdBy: String(fl.CREATED_BY ?? caller.userId), createdDate: now, deadline: fl.DEADLINE ? String(fl.DEADLINE) : null, status: '2', ufCrmTask: Array.isArray(fl.UF_CRM_TASK) ? fl.UF_CRM_TASK : [] };
    ctx.written.tasks.push(task);
    return { result: { task }, cost: 0.1 };
  },
  // apidocs: api-reference/tasks/tasks-task-list.md (filter on TITLE and RESPONSIBLE_ID only, here)
  'tasks.task.list': (p, { ctx }) => {
    const f = (p.filter ?? {}) as Params;
    const tasks = ctx.written.tasks.filter(
      (t) => (f.TITLE === undefined || t.title === String(f.TITLE)) && (f.RESPONSIBLE_ID === undefined || t.responsibleId === String(f.RESPONSIBLE_ID)),
    );
    return { result: { tasks: tasks.slice(0, 50) }, total: tasks.length, cost: 0.05 };
  },
  // apidocs: api-reference/crm/timeline/comments/crm-timeline-comment-list.md
  'crm.timeline.comment.list': (p, { ctx }) => {
    const f = (p.filter ?? {}) as Params;
    const rows = ctx.written.comments.filter((c) => String(c.ENTITY_ID) === String(f.ENTITY_ID) && String(c.ENTITY_TYPE) === String(f.ENTITY_TYPE).toLowerCase());
    return { result: rows.slice(0, 50), total: rows.length, cost: 0.05 };
  },
  'crm.timeline.comment.add': (p, { ctx }) => {
    const fl = (p.fields ?? {}) as Params;
    if (!fl.ENTITY_ID || !fl.ENTITY_TYPE || !fl.COMMENT) throw errors.argValue('ENTITY_ID, ENTITY_TYPE and COMMENT are required');
    const id = ++ctx.counters.comments;
    ctx.written.comments.push({ ID: String(id), CREATED: iso(nowS()), ENTITY_ID: String(fl.ENTITY_ID), ENTITY_TYPE: String(fl.ENTITY_TYPE).toLowerCase(), AUTHOR_ID: '1', COMMENT: String(fl.COMMENT) });
    ctx.events.fire('ONCRMTIMELINECOMMENTADD', { FIELDS: { ID: id } });
    return { result: id, cost: 0.05 };
  },
};
