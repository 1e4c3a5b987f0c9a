import type { SandboxData } from './data/types.js';
import type { Events } from './events.js';
import type { OAuthServer } from './oauth.js';

export type Params = Record<string, unknown>;

/** Who is calling: an inbound webhook or the installed app (OAuth). */
export interface Caller {
  kind: 'hook' | 'app';
  userId: number;
}

export interface Placement {
  placement: string;
  handler: string;
  title: string;
  description: string;
}

export interface Ctx {
  data: SandboxData;
  origin: string;
  domain: string;
  memberId: string;
  applicationToken: string;
  events: Events;
  oauth: OAuthServer;
  placements: Placement[];
  counters: { tasks: number; comments: number };
  /** What apps wrote: tasks and timeline comments, kept so that list methods can answer. */
  written: { tasks: Record<string, unknown>[]; comments: Record<string, unknown>[] };
}

export interface Answer {
  result: unknown;
  total?: number;
  next?: number;
  /** Simulated execution time in seconds, counted toward the method's operating budget. */
  cost?: number;
}

export type Handler = (p: Params, call: { ctx: Ctx; caller: Caller }) => Answer;

/** Simulated cost: a base plus a little per row read, so big scans weigh more (as `operating` does). */
export function cost(rowsOut: number, scanned = 0): number {
  return 0.01 + rowsOut * 0.002 + scanned * 0.00002;
}

export function num(v: unknown, name: string): number {
  const n = Number(v);
  if (v === undefined || v === null || v === '' || Number.isNaN(n)) throw new TypeError(name);
  return n;
}
