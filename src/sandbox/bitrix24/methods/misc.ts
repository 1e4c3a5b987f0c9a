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
    return { result: { task: { id: String(id), title: String(fl.TITLE), description: String(fl.DESCRIPTION ?? ''), responsibleId: String(responsible), createdBy: String(fl.CREATED_BY ?? caller.userId), createdDate: now, deadline: fl.DEADLINE ? String(fl.DEADLINE) : null, status: '2', ufCrmTask: Array.isArray(fl.UF_CRM_TASK) ? fl.UF_CRM_TASK : [] } }, cost: 0.1 };
  },
  'crm.timeline.comment.add': (p, { ctx }) => {
    const fl = (p.fields ?? {}) as Params;
    if (!fl.ENTITY_ID || !fl.ENTITY_TYPE || !fl.COMMENT) throw errors.argValue('ENTITY_ID, ENTITY_TYPE and COMMENT are required');
    ctx.events.fire('ONCRMTIMELINECOMMENTADD', { FIELDS: { ID: ctx.counters.comments + 1 } });
    return { result: ++ctx.counters.comments, cost: 0.05 };
  },
};
