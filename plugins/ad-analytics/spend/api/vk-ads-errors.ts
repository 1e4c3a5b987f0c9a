import { z } from 'zod';
import { AuthError, RateLimitedError, TransientError, type SvodkaError } from '../../../../src/sdk/errors.js';
import type { HttpResponse } from '../../../../src/sdk/http.js';
import { AdApiError, API_NAME, bodyJson, headerSeconds } from './errors.js';

const API = API_NAME.vk_ads;

/** `{"error": {"code": "ERR_...", "message": "..."}}` (statistics), or an OAuth-style `{"error": "invalid_token"}`. */
const vkError = z.object({
  error: z.union([
    z.object({ code: z.string().optional(), message: z.string().optional() }),
    z.string(),
  ]),
  error_description: z.string().optional(),
});

/**
 * VK Ads' reading of an error response: 401 is a rejected token (AuthError, never quoting the request),
 * 429 the rate limit and 5xx a server failure (both retried by the HTTP client), 403 a missing
 * permission, the rest an AdApiError with VK's error code. Pass it as `classify` to the HTTP client.
 */
export function classifyVkAds(res: HttpResponse): SvodkaError | undefined {
  if (res.status < 400) return undefined;
  const parsed = vkError.safeParse(bodyJson(res.data));
  const e = parsed.success ? parsed.data.error : undefined;
  const apiCode = typeof e === 'string' ? e : e?.code;
  const message = (typeof e === 'string' ? parsed.data?.error_description : e?.message)?.slice(0, 500);
  const said = [apiCode, message].filter(Boolean).join(': ');
  const text = `${API} answered HTTP ${res.status}${said ? ` (${said})` : ''}`;
  if (res.status === 401) return new AuthError(`${API}: the token was rejected (HTTP 401${apiCode ? `, ${apiCode}` : ''}); get a new access token`);
  if (res.status === 429) {
    const retryAfterMs = headerSeconds(res.headers['retry-after']);
    return new RateLimitedError(`${text}: rate limit exceeded`, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  if (res.status >= 500) return new TransientError(text, { code: `http_${res.status}` });
  return new AdApiError(res.status === 403 ? 'ad_api_forbidden' : 'ad_api_error', text, {
    platform: 'vk_ads',
    status: res.status,
    ...(apiCode ? { apiCode } : {}),
  });
}
