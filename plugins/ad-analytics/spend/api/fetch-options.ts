import { setTimeout as delay } from 'node:timers/promises';
import { z } from 'zod';
import { currency, day } from '../../../../src/model/index.js';
import type { Log } from '../../../../src/sdk/adapter.js';
import type { HttpClient } from '../../../../src/sdk/http.js';
import { AdApiError, type AdApiPlatform, API_NAME } from './errors.js';

/** What a client needs besides its options; `http` must be built with the platform's classifier. */
export interface FetchDeps {
  http: HttpClient;
  log?: Log;
  signal?: AbortSignal;
  /** Waits between polls of an offline report; tests pass one that only records. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(ms, undefined, signal ? { signal } : {});

/** The options both clients share: the token (never logged), the period, the account currency. */
export const commonFetchOptions = z.object({
  token: z.string().min(1).max(4096),
  from: day,
  to: day,
  /** The account's currency: neither API names it in the statistics. */
  currency: currency.default('RUB'),
});

/**
 * Options through zod, refused with the issues' paths and messages only: zod's messages do not quote
 * the input, so the token cannot end up in the error.
 */
export function parseFetchOptions<S extends z.ZodType<{ from: string; to: string }>>(platform: AdApiPlatform, schema: S, raw: unknown): z.infer<S> {
  const r = schema.safeParse(raw);
  const issues = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`);
  if (r.success && r.data.from > r.data.to) issues.push(`from: ${r.data.from} is after to: ${r.data.to}`);
  if (!r.success || issues.length) {
    throw new AdApiError('ad_api_bad_options', `${API_NAME[platform]}: bad options: ${issues.join('; ')}`, { platform });
  }
  return r.data;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** [from, to] (inclusive days) cut into consecutive pieces of at most `maxDays` days. */
export function splitDays(from: string, to: string, maxDays: number): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let start = Date.parse(`${from}T00:00:00Z`); start <= end; start += maxDays * DAY_MS) {
    out.push({ from: isoDay(start), to: isoDay(Math.min(end, start + (maxDays - 1) * DAY_MS)) });
  }
  return out;
}

export function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
