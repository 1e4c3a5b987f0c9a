import { ints, list, range, type Call } from '../context.js';
import type { Reply } from '../http.js';
import { halPage, pageOf } from '../paging.js';
import { apply, ordered, QueryCache } from '../query.js';
import { catalogOut, elementOut, eventOut, noteOut, taskOut, unsortedOut } from '../render-misc.js';
import type { AmoEvent, Note, NoteEntity, Task } from '../types.js';

function filterOf(c: Call): Record<string, unknown> {
  return c.query.filter && typeof c.query.filter === 'object' ? (c.query.filter as Record<string, unknown>) : {};
}

/** A bare timestamp means "changed after it"; `[from]/[to]` is a range. */
function since(v: unknown): { from: number; to: number } | null {
  if (typeof v === 'string' && /^\d+$/.test(v)) return { from: Number(v), to: Infinity };
  return range(v);
}

export function listTasks(c: Call): Reply {
  const pg = pageOf(c.query);
  const f = filterOf(c);
  const preds: ((t: Task) => boolean)[] = [];
  const ids = new Set(ints(f.id));
  if (ids.size) preds.push((t) => ids.has(t.id));
  const resp = new Set(ints(f.responsible_user_id));
  if (resp.size) preds.push((t) => resp.has(t.responsibleUserId));
  const types = new Set(ints(f.task_type));
  if (types.size) preds.push((t) => types.has(t.taskTypeId));
  if (f.is_completed !== undefined) {
    const want = list(f.is_completed)[0];
    preds.push((t) => t.isCompleted === (want === '1' || want === 'true'));
  }
  const et = list(f.entity_type)[0];
  if (et) preds.push((t) => t.entityType === et);
  const eids = new Set(ints(f.entity_id));
  if (eids.size) preds.push((t) => t.entityId !== null && eids.has(t.entityId));
  const upd = since(f.updated_at);
  if (upd) preds.push((t) => t.updatedAt >= upd.from && t.updatedAt <= upd.to);
  const rows = apply(ordered(c.ctx.data.tasks, c.query, ['created_at', 'complete_till', 'id']), preds);
  return halPage(c.ctx.base, c.path, c.search, 'tasks', rows, pg, (t) => taskOut(c.ctx, t));
}

export function getTask(c: Call): Reply {
  const t = c.ctx.data.tasks.get(Number(c.params[0]));
  return t ? { status: 200, body: taskOut(c.ctx, t) } : { status: 204 };
}

/** `/api/v4/{entity}/notes` and `/api/v4/{entity}/{id}/notes`. */
export function listNotes(c: Call): Reply {
  const pg = pageOf(c.query);
  const entity = c.path.split('/')[3] as NoteEntity;
  const f = filterOf(c);
  const preds: ((n: Note) => boolean)[] = [(n) => n.entity === entity];
  const one = c.params[0] === undefined ? null : Number(c.params[0]);
  const eids = new Set(one === null ? ints(f.entity_id) : [one]);
  if (eids.size) preds.push((n) => eids.has(n.entityId));
  const ids = new Set(ints(f.id));
  if (ids.size) preds.push((n) => ids.has(n.id));
  const types = list(f.note_type);
  if (types.length) preds.push((n) => types.includes(n.noteType));
  const upd = since(f.updated_at);
  if (upd) preds.push((n) => n.updatedAt >= upd.from && n.updatedAt <= upd.to);
  const rows = apply(ordered(c.ctx.data.notes, c.query, ['updated_at', 'id']), preds);
  return halPage(c.ctx.base, c.path, c.search, 'notes', rows, pg, (n) => noteOut(c.ctx, n));
}

const eventCache = new WeakMap<object, QueryCache<AmoEvent>>();
const ENTITY: Record<string, string> = { lead: 'lead', leads: 'lead', contact: 'contact', contacts: 'contact', company: 'company', companies: 'company' };

/** Events, newest first unless `order[created_at]=asc` (docs silent on the default); limit ≤ 100. */
export function listEvents(c: Call): Reply {
  const pg = pageOf(c.query, 100);
  const log = c.ctx.data.events;
  const f = filterOf(c);
  const o = c.query.order && typeof c.query.order === 'object' ? (c.query.order as Record<string, unknown>) : {};
  const asc = String(o.created_at ?? o.id ?? 'desc').toLowerCase() === 'asc';
  let cache = eventCache.get(log);
  if (!cache) eventCache.set(log, (cache = new QueryCache<AmoEvent>()));
  const rows = cache.get(JSON.stringify([f, asc]), log.version, () => {
    const created = range(f.created_at);
    const start = created ? log.from(created.from) : 0;
    const end = created && created.to !== Infinity ? log.from(created.to + 1) : log.rows.length;
    const preds: ((e: AmoEvent) => boolean)[] = [];
    const types = list(f.type);
    if (types.length) preds.push((e) => types.includes(e.type));
    const ids = list(f.id);
    if (ids.length) preds.push((e) => ids.includes(e.id));
    const entities = list(f.entity).map((x) => ENTITY[x] ?? x);
    if (entities.length) preds.push((e) => entities.includes(e.entityType));
    const eids = new Set(ints(f.entity_id));
    if (eids.size) preds.push((e) => eids.has(e.entityId));
    const by = new Set(ints(f.created_by));
    if (by.size) preds.push((e) => by.has(e.createdBy));
    const out = apply(log.rows.slice(start, end), preds);
    return asc ? out : out.reverse();
  });
  return halPage(c.ctx.base, c.path, c.search, 'events', rows, pg, (e) => eventOut(c.ctx, e));
}

export function getEvent(c: Call): Reply {
  const e = c.ctx.data.events.get(c.params[0] ?? '');
  return e ? { status: 200, body: eventOut(c.ctx, e) } : { status: 204 };
}

export function listCatalogs(c: Call): Reply {
  return halPage(c.ctx.base, c.path, c.search, 'catalogs', c.ctx.data.catalogs, pageOf(c.query), (x) => catalogOut(c.ctx, x));
}

export function listElements(c: Call): Reply {
  const id = Number(c.params[0]);
  if (!c.ctx.data.catalogs.some((x) => x.id === id)) return { status: 204 };
  const ids = new Set(ints(filterOf(c).id));
  const rows = c.ctx.data.catalogElements.rows.filter((e) => e.catalogId === id && !e.isDeleted && (!ids.size || ids.has(e.id)));
  return halPage(c.ctx.base, c.path, c.search, 'elements', rows, pageOf(c.query), (e) => elementOut(c.ctx, e));
}

export function listUnsorted(c: Call): Reply {
  const f = filterOf(c);
  const uids = list(f.uid);
  const cats = list(f.category);
  const pipes = new Set(ints(f.pipeline_id));
  const rows = c.ctx.data.unsorted.filter(
    (u) => (!uids.length || uids.includes(u.uid)) && (!cats.length || cats.includes(u.category)) && (!pipes.size || pipes.has(u.pipelineId)),
  );
  return halPage(c.ctx.base, c.path, c.search, 'unsorted', rows, pageOf(c.query), (u) => unsortedOut(c.ctx, u));
}
