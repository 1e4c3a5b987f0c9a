import type { Table } from '../bitrix24/table.js';
import { ints, list, range, type Query } from './context.js';

interface Row {
  id: number;
  createdAt: number;
  updatedAt: number;
}

type Pred<R> = (r: R) => boolean;

const PROPS: Record<string, string> = { id: 'id', created_at: 'createdAt', updated_at: 'updatedAt', complete_till: 'completeTill' };

/** Sort orders a list accepts (`order[field]=asc|desc`); anything else falls back to id ascending. Views are cached per table version. */
export function ordered<R extends { id: number }>(t: Table<R>, q: Query, allowed: readonly string[]): R[] {
  const o = q.order && typeof q.order === 'object' ? (q.order as Record<string, unknown>) : {};
  const field = Object.keys(o).find((k) => allowed.includes(k));
  const dir = field && String(o[field]).toLowerCase() === 'desc' ? 'desc' : 'asc';
  if (!field || (field === 'id' && dir === 'asc')) return t.rows;
  const prop = PROPS[field] ?? 'id';
  const sign = dir === 'asc' ? 1 : -1;
  const num = (r: R) => (r as unknown as Record<string, number>)[prop] ?? 0;
  return t.view(`${prop}:${dir}`, (a, b) => sign * (num(a) - num(b) || a.id - b.id));
}

/** Range and id-list filters shared by leads, contacts and companies (the "alpha" API filter). */
export function crmFilters<R extends Row & { responsibleUserId: number; createdBy: number; updatedBy: number; name: string }>(f: Record<string, unknown>): Pred<R>[] {
  const preds: Pred<R>[] = [];
  const ids = ints(f.id);
  if (ids.length) {
    const s = new Set(ids);
    preds.push((r) => s.has(r.id));
  }
  const names = list(f.name);
  if (names.length) preds.push((r) => names.includes(r.name));
  for (const [key, prop] of [['responsible_user_id', 'responsibleUserId'], ['created_by', 'createdBy'], ['updated_by', 'updatedBy']] as const) {
    const s = new Set(ints(f[key]));
    if (s.size) preds.push((r) => s.has(r[prop]));
  }
  for (const [key, prop] of [['created_at', 'createdAt'], ['updated_at', 'updatedAt']] as const) {
    const rg = range(f[key]);
    if (rg) preds.push((r) => r[prop] >= rg.from && r[prop] <= rg.to);
  }
  return preds;
}

/** Filtered id lists are cached per query until the table changes, so paging a big filter stays cheap. */
export class QueryCache<R> {
  private entries = new Map<string, { version: number; rows: R[] }>();

  get(key: string, version: number, build: () => R[]): R[] {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.rows;
    const rows = build();
    this.entries.delete(key);
    this.entries.set(key, { version, rows });
    if (this.entries.size > 32) this.entries.delete(this.entries.keys().next().value as string);
    return rows;
  }
}

export function apply<R>(rows: R[], preds: Pred<R>[]): R[] {
  return preds.length ? rows.filter((r) => preds.every((p) => p(r))) : rows;
}
