import type { Rng } from '../bitrix24/rng.js';
import type { AmocrmData } from './types.js';
import type { WebhookSender } from './webhooks.js';

export type Query = Record<string, unknown>;

export interface Ctx {
  data: AmocrmData;
  /** Stands for https://<subdomain>.amocrm.ru in every `_links` href. */
  base: string;
  apiFilter: boolean;
  /** Ids and uids for rows created at run time. */
  rng: Rng;
  hooks: WebhookSender;
}

export interface Call {
  ctx: Ctx;
  query: Query;
  /** The raw query string, kept for `_links`. */
  search: string;
  path: string;
  params: string[];
  body: unknown;
  /** The user the token acts for. */
  userId: number;
}

export function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

export function withSet(q: Query): Set<string> {
  return new Set(typeof q.with === 'string' ? q.with.split(',').map((s) => s.trim()) : []);
}

export function link(ctx: Ctx, path: string) {
  return { self: { href: `${ctx.base}${path}` } };
}

/** Values of a filter that may come as `x`, `x,y`, `x[]` or `x[0]`. */
export function list(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.flatMap(list);
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).flatMap(list);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

export function ints(v: unknown): number[] {
  return list(v).map(Number).filter((x) => Number.isFinite(x));
}

/** A range filter: `{from, to}`, a single timestamp (meaning "from"), or "from,to". */
export function range(v: unknown): { from: number; to: number } | null {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const from = o.from === undefined ? -Infinity : Number(o.from);
    const to = o.to === undefined ? Infinity : Number(o.to);
    return { from: Number.isNaN(from) ? -Infinity : from, to: Number.isNaN(to) ? Infinity : to };
  }
  const [a, b] = ints(v);
  return a === undefined ? null : { from: a, to: b ?? Infinity };
}
