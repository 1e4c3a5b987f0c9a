import { z } from 'zod';
import { RateLimitedError, SvodkaError, type RawPage } from '../../src/sdk/index.js';
import { classify, maxBatch, type Answer, type BatchAnswer, type Params, type Portal } from './client.js';

/** Items per page of every Bitrix24 list method. */
export const pageSize = 50;

/** How a list method is read: where its items are, and the names of its id and update-time fields. */
export interface ListSpec {
  method: string;
  params?: Params;
  /** Path of the item array inside `result` ([] when result is the array). */
  itemsAt: string[];
  id: string;
  /** Absent for append-only lists (stage history), which are read by id alone. */
  updated?: string;
  /** Adds what the item lacks but the model needs (the entity type, say). */
  enrich?: (item: Record<string, unknown>) => Record<string, unknown>;
}

export function itemsOf(spec: ListSpec, result: unknown): Record<string, unknown>[] {
  let v: unknown = result;
  for (const k of spec.itemsAt) v = (v as Record<string, unknown> | undefined)?.[k];
  // An empty map comes back as [] and an empty list as an empty object in places: both are "no items".
  if (v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length)) return [];
  if (!Array.isArray(v)) throw new SvodkaError('bitrix24_bad_answer', `Bitrix24 ${spec.method}: expected a list of items`);
  const items = v as Record<string, unknown>[];
  return spec.enrich ? items.map(spec.enrich) : items;
}

/** A command of a batch failed: its error read the way a failed request is read (limits are retryable). */
function commandError(b: BatchAnswer, key: string, method: string): SvodkaError {
  const e = b.errors[key];
  return classify(Object.assign(new Error(e?.message ?? 'no answer'), { code: e?.code ?? 'NO_ANSWER' }), method);
}

function failed(b: BatchAnswer, key: string, method: string): never {
  throw commandError(b, key, method);
}

/** How many times a long list waits out a limit that stopped it half-way before giving up (60 s each). */
const limitWaits = 12;

const numericId = (item: Record<string, unknown>, field: string): number => {
  const n = Number(item[field]);
  if (!Number.isSafeInteger(n)) throw new SvodkaError('bitrix24_bad_answer', `an item without a numeric ${field}`);
  return n;
};

/**
 * Reads a small list whole (users, departments, stages): the first page tells the total, the rest come
 * in batches of up to 50 pages. The last page says the list was complete, so what is gone is deleted.
 */
export async function* wholeList(portal: Portal, spec: ListSpec): AsyncIterable<RawPage> {
  const first: Answer = await portal.call(spec.method, { ...spec.params, start: 0 });
  const items = itemsOf(spec, first.result);
  const total = first.total ?? items.length;
  const starts: number[] = [];
  for (let s = pageSize; s < total; s += pageSize) starts.push(s);
  if (!starts.length) {
    yield { items, cursor: null, complete: true };
    return;
  }
  yield { items, cursor: null };
  for (let i = 0; i < starts.length; i += maxBatch) {
    const chunk = starts.slice(i, i + maxBatch);
    const b = await portal.batch(Object.fromEntries(chunk.map((s) => [`s${s}`, [spec.method, { ...spec.params, start: s }]])));
    const page: Record<string, unknown>[] = [];
    for (const s of chunk) {
      const r = b.results[`s${s}`];
      if (!r) failed(b, `s${s}`, spec.method);
      page.push(...itemsOf(spec, r.result));
    }
    yield { items: page, cursor: null, complete: i + maxBatch >= starts.length };
  }
}

/** The reference to the id of the last item of command `key`'s page (Bitrix24 batch `$result[...]`). */
function lastIdRef(spec: ListSpec, key: string): string {
  return `$result[${key}]${spec.itemsAt.map((k) => `[${k}]`).join('')}[${pageSize - 1}][${spec.id}]`;
}

/**
 * The fast way through a long list, as Bitrix24 recommends: ordered by id, `start=-1` (no count), each
 * page asking for ids above the last one; 50 such pages go in one batch, each command taking its
 * starting id from the page before it through a `$result[...]` reference. Yields one page per batch.
 */
export async function* byId(
  portal: Portal,
  spec: ListSpec,
  afterId: number,
  cursorAfter: (lastId: number, done: boolean) => Record<string, unknown>,
): AsyncIterable<RawPage> {
  let last = afterId;
  let waits = 0;
  for (;;) {
    const commands: Record<string, [string, Params]> = {};
    for (let k = 0; k < maxBatch; k++) {
      const key = `p${k}`;
      commands[key] = [
        spec.method,
        {
          ...spec.params,
          order: { [spec.id]: 'ASC' },
          filter: { ...(spec.params?.filter as Params | undefined), [`>${spec.id}`]: k === 0 ? last : lastIdRef(spec, `p${k - 1}`) },
          start: -1,
        },
      ];
    }
    const b = await portal.batch(commands);
    const items: Record<string, unknown>[] = [];
    let done = false;
    let stopped: SvodkaError | undefined;
    for (let k = 0; k < maxBatch; k++) {
      const r = b.results[`p${k}`];
      if (!r) {
        // A limit hit half-way (operating time, most often): the pages before it are good and kept.
        stopped = commandError(b, `p${k}`, spec.method);
        break;
      }
      const page = itemsOf(spec, r.result);
      items.push(...page);
      // A short page is the end; the commands after it ran on an unresolved reference and are ignored.
      if (page.length < pageSize) {
        done = true;
        break;
      }
    }
    for (const it of items) last = Math.max(last, numericId(it, spec.id));
    if (items.length) yield { items, cursor: cursorAfter(last, done) };
    if (done) return;
    if (stopped) {
      if (!(stopped instanceof RateLimitedError) || ++waits > limitWaits) throw stopped;
      await new Promise((r) => setTimeout(r, stopped.retryAfterMs ?? 60_000));
    }
  }
}

/** Where an incremental pass stands: everything updated before `since`, and at `since` up to `afterId`. */
export const changesCursor = z.object({ since: z.string().min(1), afterId: z.int().nonnegative() });
export type ChangesCursor = z.infer<typeof changesCursor>;

/**
 * Items changed since a bookmark, in (update time, id) order, exactly once: first the rest of the items
 * sharing the bookmark's time (id above `afterId`), then those updated later. Both go in one batch.
 */
export async function* changedSince(portal: Portal, spec: ListSpec, from: ChangesCursor): AsyncIterable<RawPage> {
  const updated = spec.updated;
  if (!updated) throw new SvodkaError('bitrix24_internal', `${spec.method} has no update time to follow`);
  let at = from;
  for (;;) {
    const b = await portal.batch({
      ties: [
        spec.method,
        {
          ...spec.params,
          order: { [spec.id]: 'ASC' },
          filter: { ...(spec.params?.filter as Params | undefined), [`=${updated}`]: at.since, [`>${spec.id}`]: at.afterId },
          start: -1,
        },
      ],
      later: [
        spec.method,
        {
          ...spec.params,
          order: { [updated]: 'ASC', [spec.id]: 'ASC' },
          filter: { ...(spec.params?.filter as Params | undefined), [`>${updated}`]: at.since },
          start: -1,
        },
      ],
    });
    const ties = b.results.ties ? itemsOf(spec, b.results.ties.result) : failed(b, 'ties', spec.method);
    if (ties.length === pageSize) {
      at = { since: at.since, afterId: numericId(ties.at(-1)!, spec.id) };
      yield { items: ties, cursor: at };
      continue;
    }
    const later = b.results.later ? itemsOf(spec, b.results.later.result) : failed(b, 'later', spec.method);
    const items = [...ties, ...later];
    const last = later.at(-1) ?? ties.at(-1);
    if (last) {
      const since = String(last[updated] ?? '');
      if (!since) throw new SvodkaError('bitrix24_bad_answer', `Bitrix24 ${spec.method}: an item without ${updated}`);
      at = { since, afterId: numericId(last, spec.id) };
    }
    yield { items, cursor: at };
    if (later.length < pageSize) return;
  }
}
