import { z } from 'zod';
import { AuthError, RateLimitedError, TransientError, type SvodkaError } from '../../../../src/sdk/errors.js';
import type { HttpResponse } from '../../../../src/sdk/http.js';
import { AdApiError, API_NAME, bodyJson, headerSeconds } from './errors.js';

const API = API_NAME.yandex_direct;

/** The error body of the Reports service (https://yandex.ru/dev/direct/doc/ru/codes). */
const reportsError = z.object({
  error: z.object({
    error_code: z.union([z.int(), z.string().regex(/^\d+$/)]),
    error_string: z.string().optional(),
    error_detail: z.string().optional(),
    request_id: z.string().optional(),
  }),
});

// Codes of the API v5 error list (https://yandex.ru/dev/direct/doc/ru/concepts/errors-list).
const AUTH_CODES = new Set(['53']);
/**
 * Limits: 152 not enough units, 506 too many simultaneous connections, 56 request limit; 9000 is
 * taken to be the offline-report queue limit (not confirmed, see tests/fixtures/ads/API-FACTS.md).
 */
const LIMIT_CODES = new Set(['56', '152', '506', '9000']);
/** Server errors the list says to try again later. */
const SERVER_CODES = new Set(['52', '1000', '1001', '1002']);

/**
 * The Reports service's reading of an error response (400, 500, 502 with a JSON error body): rate limits
 * and server errors become retryable, a rejected token an AuthError, the rest an AdApiError with the
 * service's error_code. Pass it as `classify` to the HTTP client the Yandex Direct client uses.
 */
export function classifyYandexDirect(res: HttpResponse): SvodkaError | undefined {
  if (res.status < 400) return undefined;
  const retryAfterMs = headerSeconds(res.headers['retry-after']);
  const parsed = reportsError.safeParse(bodyJson(res.data));
  if (!parsed.success) {
    const what = `${API} answered HTTP ${res.status}`;
    if (res.status === 401) return new AuthError(`${what}: the OAuth token was rejected; get a new one`);
    if (res.status === 429) return new RateLimitedError(`${what}: too many requests`, retryAfterMs === undefined ? {} : { retryAfterMs });
    if (res.status >= 500) return new TransientError(`${what}`, { code: `http_${res.status}` });
    return new AdApiError('ad_api_error', `${what} without an error body`, { platform: 'yandex_direct', status: res.status });
  }
  const e = parsed.data.error;
  const code = String(e.error_code);
  const detail = e.error_detail ? `: ${e.error_detail.slice(0, 500)}` : '';
  const text = `${API} error ${code}${e.error_string ? ` (${e.error_string})` : ''}${detail}${e.request_id ? ` [request_id ${e.request_id}]` : ''}`;
  if (AUTH_CODES.has(code) || res.status === 401) return new AuthError(`${text}; the OAuth token was rejected: get a new one`);
  if (LIMIT_CODES.has(code) || res.status === 429) {
    return new RateLimitedError(`${text}; try again later`, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  if (SERVER_CODES.has(code) || res.status >= 500) return new TransientError(text, { code: 'ad_api_unavailable' });
  return new AdApiError('ad_api_error', text, {
    platform: 'yandex_direct',
    status: res.status,
    apiCode: code,
    ...(e.request_id ? { requestId: e.request_id } : {}),
  });
}
