import { SvodkaError } from '../../../../src/sdk/errors.js';

export type AdApiPlatform = 'yandex_direct' | 'vk_ads';

export const API_NAME: Record<AdApiPlatform, string> = {
  yandex_direct: 'Yandex Direct Reports API',
  vk_ads: 'VK Ads API',
};

export type AdApiErrorCode = 'ad_api_error' | 'ad_api_forbidden' | 'ad_api_bad_response' | 'ad_api_report_timeout' | 'ad_api_bad_options';

/**
 * A failure an ad platform's API reported (or an answer we cannot use), with the platform's own error
 * code and request id when it gave them. Token rejections and rate limits use the SDK's AuthError and
 * RateLimitedError instead, so that the one place deciding retries recognises them.
 */
export class AdApiError extends SvodkaError {
  readonly platform: AdApiPlatform;
  readonly status: number | undefined;
  readonly apiCode: string | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: AdApiErrorCode,
    message: string,
    o: { platform: AdApiPlatform; status?: number; apiCode?: string; requestId?: string; retryable?: boolean },
  ) {
    super(code, message, { retryable: o.retryable ?? false });
    this.platform = o.platform;
    this.status = o.status;
    this.apiCode = o.apiCode;
    this.requestId = o.requestId;
  }
}

/** A response body as text (TSV reports) or as parsed JSON (error bodies), whichever axios handed over. */
export function bodyText(data: unknown): string | undefined {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  return undefined;
}

export function bodyJson(data: unknown): unknown {
  const text = bodyText(data);
  if (text === undefined) return data;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Seconds from a Retry-After style header, as milliseconds; undefined when absent or not a number. */
export function headerSeconds(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const s = Number(value);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}

/**
 * Removes a secret from an error before it leaves the client: from its message and stack, and from
 * the causes below it. A cause that is not ours (the HTTP library's error keeps the request with its
 * Authorization header) is dropped rather than trusted to every logger's redaction.
 */
export function scrubSecret<E>(e: E, secret: string): E {
  if (!(e instanceof Error) || secret === '') return e;
  const clean = (s: string) => s.split(secret).join('***');
  e.message = clean(e.message);
  if (e.stack) e.stack = clean(e.stack);
  if (e.cause instanceof SvodkaError) scrubSecret(e.cause, secret);
  else if (e.cause !== undefined) Object.defineProperty(e, 'cause', { value: undefined, writable: true, configurable: true, enumerable: false });
  return e;
}

/** Runs `fn`; whatever it throws comes out without `secret` in it. */
export async function withoutSecret<T>(secret: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw scrubSecret(e, secret);
  }
}
