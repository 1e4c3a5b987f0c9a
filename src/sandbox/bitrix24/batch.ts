import type { Caller, Ctx } from './context.js';
import { errors, RestError } from './errors.js';
import { parseQuery } from './http-body.js';

export const MAX_BATCH = 50;

export interface SubResult {
  result: unknown;
  total?: number;
  next?: number;
  time: Record<string, unknown>;
}
export type RunOne = (method: string, params: Record<string, unknown>, caller: Caller, inBatch: boolean) => SubResult;

/** PHP serialises an empty or 0..n-1 keyed array as a JSON list, anything else as an object. */
function php(entries: [string, unknown][]): unknown {
  if (entries.every(([k], i) => k === String(i))) return entries.map(([, v]) => v);
  return Object.fromEntries(entries);
}

function lookup(results: Map<string, unknown>, key: string, path: string[]): unknown {
  let v: unknown = results.get(key);
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}

/** `$result[cmd][FIELD][0]` references to earlier answers, substituted before the command is parsed. */
function substitute(line: string, results: Map<string, unknown>): string {
  return line.replace(/\$result\[([^\]]+)\]((?:\[[^\]]*\])*)/g, (_, key: string, rest: string) => {
    const path = [...rest.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] as string);
    const v = lookup(results, key, path);
    return encodeURIComponent(v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  });
}

function substituteValues(v: unknown, results: Map<string, unknown>): unknown {
  if (typeof v === 'string') {
    const whole = /^\$result\[([^\]]+)\]((?:\[[^\]]*\])*)$/.exec(v);
    if (whole) {
      const path = [...whole[2]!.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1] as string);
      const found = lookup(results, whole[1]!, path);
      return found === undefined || found === null ? '' : found;
    }
    return v.includes('$result[') ? decodeURIComponent(substitute(v, results)) : v;
  }
  if (Array.isArray(v)) return v.map((x) => substituteValues(x, results));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substituteValues(x, results)]));
  return v;
}

// apidocs: settings/how-to-call-rest-api/batch.md
export function runBatch(_ctx: Ctx, params: Record<string, unknown>, caller: Caller, runOne: RunOne, count: (n: number) => void): unknown {
  const cmd = params.cmd;
  if (!cmd || typeof cmd !== 'object') throw errors.required('cmd');
  const halt = [true, 1, '1', 'true', 'Y'].includes(params.halt as never);
  const entries: [string, unknown][] = Array.isArray(cmd) ? cmd.map((v, i) => [String(i), v]) : Object.entries(cmd as Record<string, unknown>);
  const results = new Map<string, unknown>();
  const out: [string, unknown][] = [];
  const failed: [string, unknown][] = [];
  const totals: [string, unknown][] = [];
  const nexts: [string, unknown][] = [];
  const times: [string, unknown][] = [];
  let ran = 0;
  for (const [i, [key, line]] of entries.entries()) {
    try {
      if (i >= MAX_BATCH) throw errors.batchLength();
      const text = substitute(String(line), results);
      const q = text.indexOf('?');
      const method = (q === -1 ? text : text.slice(0, q)).trim().toLowerCase().replace(/\.json$/, '');
      // A portal decodes the command first and then replaces references in the values, so an
      // url-encoded `%24result%5B...%5D` (what qs writes) works as well as a literal one.
      const sub = substituteValues(parseQuery(q === -1 ? '' : text.slice(q + 1)), results) as Record<string, unknown>;
      delete sub.auth;
      if (method === 'batch') throw errors.batchNotAllowed();
      ran++;
      const r = runOne(method, sub, caller, true);
      results.set(key, r.result);
      out.push([key, r.result]);
      if (r.total !== undefined) totals.push([key, r.total]);
      if (r.next !== undefined) nexts.push([key, r.next]);
      times.push([key, r.time]);
    } catch (e) {
      if (!(e instanceof RestError)) throw e;
      failed.push([key, e.body()]);
      if (halt) break;
    }
  }
  count(ran);
  return { result: php(out), result_error: php(failed), result_total: php(totals), result_next: php(nexts), result_time: php(times) };
}
