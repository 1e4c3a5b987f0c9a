import { errors } from './errors.js';
import { lowerBound, type Table } from './table.js';
import { parseTime } from './time.js';

/** How a field compares and how it is spelled on the wire. */
export type Kind = 'int' | 'float' | 'string' | 'date' | 'yn' | 'bool' | 'list';
export interface Field<R> {
  kind: Kind;
  get(r: R): unknown;
}
export type Fields<R> = Record<string, Field<R>>;

export const PAGE = 50;

export interface ListSpec<R> {
  filter?: unknown;
  order?: unknown;
  start?: unknown;
  /** Wire name of the id field ('id' or 'ID'). */
  idField: string;
  /** Unknown filter fields: error (crm.item style) or ignored (legacy methods). */
  strict: boolean;
  /** Extra condition every row must meet (e.g. entity type). */
  base?: (r: R) => boolean;
  pageSize?: number;
}

export interface Page<R> {
  rows: R[];
  total?: number;
  next?: number;
  scanned: number;
}

type Pred<R> = (r: R) => boolean;
interface Cond<R> {
  name: string;
  op: string;
  value: unknown;
  field: Field<R>;
  test: Pred<R>;
}

const OPS = /^(!@|!=|>=|<=|=%|%=|!%|@|!|=|>|<|%)?(.+)$/;

export function findField<R>(fields: Fields<R>, name: string): [string, Field<R>] | undefined {
  const f = fields[name];
  if (f) return [name, f];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(fields)) if (k.toLowerCase() === lower) return [k, v];
  return undefined;
}

function conv(kind: Kind, v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => conv(kind, x));
  if (v === null || v === undefined) return null;
  switch (kind) {
    case 'int':
    case 'float': {
      if (v === '' || v === false) return null;
      const n = Number(v);
      if (Number.isNaN(n)) throw errors.argValue(`Invalid value "${String(v)}" for a numeric field`);
      return n;
    }
    case 'date': {
      if (v === '') return null;
      const t = parseTime(String(v));
      if (t === null) throw errors.argValue(`Invalid date "${String(v)}"`);
      return t;
    }
    case 'bool':
      return v === true || v === 'Y' || v === 'true' || v === '1' || v === 1;
    case 'yn':
      return v === true ? 'Y' : v === false ? 'N' : String(v);
    default:
      return String(v);
  }
}

function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const emptyA = a === null || a === undefined || a === '' || a === 0 || a === false;
  const emptyB = b === null || b === undefined || b === '' || b === 0 || b === false;
  if (emptyA && emptyB) return true;
  if (Array.isArray(a)) return a.some((x) => eq(x, b));
  return false;
}

function cmpValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function like(pattern: string): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*');
  return new RegExp(`^${body}$`, 'i');
}

export function compileFilter<R>(fields: Fields<R>, filter: unknown, strict: boolean): Cond<R>[] {
  if (filter === undefined || filter === null || filter === '') return [];
  if (typeof filter !== 'object' || Array.isArray(filter)) throw errors.argValue('Parameter "filter" must be an object');
  const out: Cond<R>[] = [];
  for (const [key, raw] of Object.entries(filter as Record<string, unknown>)) {
    if (key.toUpperCase() === 'LOGIC' || /^\d+$/.test(key)) continue;
    const m = OPS.exec(key);
    if (!m) continue;
    const op = m[1] ?? '';
    const found = findField(fields, m[2] as string);
    if (!found) {
      if (strict) throw errors.argValue(`Invalid filter: field "${m[2]}" is not allowed in filter`);
      continue;
    }
    const [name, field] = found;
    const value = conv(field.kind, op === '@' || op === '!@' ? toList(raw) : raw);
    out.push({ name, op, value, field, test: predicate(field, op, value) });
  }
  return out;
}

function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'object' && v !== null) return Object.values(v);
  if (typeof v === 'string') return v.split(',');
  return [v];
}

function predicate<R>(field: Field<R>, op: string, value: unknown): Pred<R> {
  const get = field.get;
  const list = Array.isArray(value) ? value : null;
  switch (op) {
    case '':
    case '=':
      return list ? (r) => list.some((v) => eq(get(r), v)) : (r) => eq(get(r), value);
    case '!':
    case '!=':
      return list ? (r) => !list.some((v) => eq(get(r), v)) : (r) => !eq(get(r), value);
    case '@':
      return (r) => (list ?? []).some((v) => eq(get(r), v));
    case '!@':
      return (r) => !(list ?? []).some((v) => eq(get(r), v));
    case '>':
      return (r) => get(r) != null && cmpValues(get(r), value) > 0;
    case '>=':
      return (r) => get(r) != null && cmpValues(get(r), value) >= 0;
    case '<':
      return (r) => get(r) != null && cmpValues(get(r), value) < 0;
    case '<=':
      return (r) => get(r) != null && cmpValues(get(r), value) <= 0;
    case '%': {
      const s = String(value).toLowerCase();
      return (r) => String(get(r) ?? '').toLowerCase().includes(s);
    }
    case '!%': {
      const s = String(value).toLowerCase();
      return (r) => !String(get(r) ?? '').toLowerCase().includes(s);
    }
    default: {
      const re = like(String(value));
      return (r) => re.test(String(get(r) ?? ''));
    }
  }
}

interface OrderBy<R> {
  name: string;
  get: (r: R) => unknown;
  desc: boolean;
}

export function compileOrder<R>(fields: Fields<R>, order: unknown, idField: string): OrderBy<R>[] {
  const out: OrderBy<R>[] = [];
  if (order && typeof order === 'object' && !Array.isArray(order)) {
    for (const [key, dir] of Object.entries(order as Record<string, unknown>)) {
      const found = findField(fields, key);
      if (!found) continue;
      out.push({ name: found[0], get: found[1].get, desc: String(dir).toUpperCase() === 'DESC' });
    }
  }
  if (!out.some((o) => o.name === idField)) {
    const id = fields[idField];
    if (id) out.push({ name: idField, get: id.get, desc: false });
  }
  return out;
}

function comparator<R>(order: OrderBy<R>[]): (a: R, b: R) => number {
  return (a, b) => {
    for (const o of order) {
      const c = cmpValues(o.get(a), o.get(b));
      if (c !== 0) return o.desc ? -c : c;
    }
    return 0;
  };
}

/** Lower bound implied by `>` / `>=` conditions on the given field. */
function rangeStart<R>(conds: Cond<R>[], name: string): number | null {
  let best: number | null = null;
  for (const c of conds) {
    if (c.name !== name || typeof c.value !== 'number') continue;
    if (c.op === '>' || c.op === '>=') best = best === null ? c.value : Math.max(best, c.value);
  }
  return best;
}

/**
 * One page the way list methods answer: `start` is an offset, 50 rows a page; `start=-1` skips the
 * count (no total, no next). Ascending orders by id or by one numeric field then id use an index, so
 * `>ID` / `>=updatedTime` paging does not scan the table.
 */
export function listPage<R extends { id: number }>(table: Table<R>, fields: Fields<R>, spec: ListSpec<R>): Page<R> {
  const size = spec.pageSize ?? PAGE;
  const startRaw = Number(spec.start ?? 0);
  const noCount = startRaw === -1;
  const offset = noCount || Number.isNaN(startRaw) || startRaw < 0 ? 0 : Math.floor(startRaw);
  const conds = compileFilter(fields, spec.filter, spec.strict);
  const order = compileOrder(fields, spec.order, spec.idField);
  const base = spec.base;
  const match = (r: R) => (base ? base(r) : true) && conds.every((c) => c.test(r));

  let source: R[];
  let from = 0;
  const first = order[0];
  const idOnly = order.length === 1 && first?.name === spec.idField;
  const idIn = conds.find((c) => c.name === spec.idField && (c.op === '@' || ((c.op === '' || c.op === '=') && Array.isArray(c.value))));
  if (idIn && Array.isArray(idIn.value)) {
    source = (idIn.value as unknown[])
      .map((v) => table.get(Number(v)))
      .filter((r): r is R => r !== undefined)
      .sort(comparator(order));
  } else if (idOnly && first && !first.desc) {
    source = table.rows;
    const lb = rangeStart(conds, spec.idField);
    if (lb !== null) from = lowerBound(source, lb, (r) => r.id);
  } else if (first && !first.desc && order.length <= 2 && order.every((o) => !o.desc) && ['int', 'date', 'float'].includes(fields[first.name]?.kind ?? '')) {
    const get = first.get as (r: R) => number | null;
    source = table.view(order.map((o) => o.name).join(','), comparator(order));
    const lb = rangeStart(conds, first.name);
    if (lb !== null) from = lowerBound(source, lb, get);
  } else {
    source = table.rows.filter(match).sort(comparator(order));
  }

  const rows: R[] = [];
  let total = 0;
  let scanned = 0;
  for (let i = from; i < source.length; i++) {
    const r = source[i] as R;
    scanned++;
    if (!match(r)) continue;
    total++;
    if (total > offset && rows.length < size) rows.push(r);
    if (noCount && rows.length >= size) break;
  }
  if (noCount) return { rows, scanned };
  const next = offset + rows.length < total ? offset + size : undefined;
  return next === undefined ? { rows, total, scanned } : { rows, total, next, scanned };
}

/** Picks the selected wire fields; `*` or an empty select means all of them. */
export function pick(out: Record<string, unknown>, select: unknown, keep: string[]): Record<string, unknown> {
  const list = Array.isArray(select) ? select.map(String) : typeof select === 'object' && select ? Object.values(select).map(String) : [];
  if (list.length === 0 || list.includes('*')) return out;
  const wanted = new Set([...keep, ...list]);
  const lowerMap = new Map(Object.keys(out).map((k) => [k.toLowerCase(), k]));
  const res: Record<string, unknown> = {};
  for (const w of wanted) {
    const k = w in out ? w : lowerMap.get(w.toLowerCase());
    if (k !== undefined) res[k] = out[k];
    else if (w === 'uf_*' || w === 'UF_*') for (const key of Object.keys(out)) if (/^(uf|UF_)/.test(key)) res[key] = out[key];
  }
  return res;
}
