import axios, { type AxiosInstance } from 'axios';
import pRetry, { AbortError } from 'p-retry';
import { redactSecrets } from '../log/redact.js';
import type { RateLimit, RateLimiter } from '../queue/index.js';
import { AuthError, RateLimitedError, SvodkaError, TransientError } from '../sdk/errors.js';
import type { HttpClient, HttpRequest, HttpResponse, ResponseClassifier } from '../sdk/http.js';

export interface HttpClientOptions {
  /** The limiter key: requests of one account share one limit across all processes. */
  account: string;
  limiter: RateLimiter;
  limit: RateLimit;
  /** Retries after the first attempt, for retryable failures only. */
  retries?: number;
  minBackoffMs?: number;
  classify?: ResponseClassifier;
  signal?: AbortSignal;
  axios?: AxiosInstance;
}

const transientCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function snippet(data: unknown): string {
  const text = typeof data === 'string' ? data : JSON.stringify(data ?? '');
  return redactSecrets(text.replace(/\s+/g, ' ').slice(0, 300));
}

/** The generic reading of a status; an adapter's classifier has the first word. */
export function classifyResponse(res: HttpResponse, what: string): SvodkaError | undefined {
  if (res.status < 400) return undefined;
  const detail = `${what} answered ${res.status}: ${snippet(res.data)}`;
  if (res.status === 429) return new RateLimitedError(detail, { retryAfterMs: retryAfterMs(res.headers['retry-after']) });
  if (res.status >= 500) return new TransientError(detail, { code: `http_${res.status}` });
  if (res.status === 401) return new AuthError(detail);
  return new SvodkaError(`http_${res.status}`, detail);
}

export function createHttpClient(o: HttpClientOptions): HttpClient {
  const client = o.axios ?? axios.create();
  const once = async <T>(req: HttpRequest): Promise<HttpResponse<T>> => {
    await o.limiter.take(o.account, o.limit, o.signal);
    const what = `${req.method ?? 'GET'} ${redactSecrets(new URL(req.url).origin + new URL(req.url).pathname)}`;
    let res: HttpResponse<T>;
    try {
      const r = await client.request<T>({
        method: req.method ?? 'GET',
        url: req.url,
        params: req.query,
        data: req.form ? new URLSearchParams(req.form).toString() : req.body,
        headers: { ...(req.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...req.headers },
        timeout: req.timeoutMs ?? 30_000,
        validateStatus: () => true,
        ...(o.signal ? { signal: o.signal } : {}),
      });
      res = { status: r.status, headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])), data: r.data };
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (transientCodes.has(code)) throw new TransientError(`${what} failed: ${code}`, { code: 'network', cause: e });
      throw new SvodkaError('http_failed', `${what} failed: ${redactSecrets((e as Error).message)}`, { cause: e });
    }
    const error = o.classify?.(res) ?? classifyResponse(res, what);
    if (error) throw error;
    return res;
  };
  return {
    request: <T>(req: HttpRequest) =>
      pRetry(
        async () => {
          // p-retry hears an abort only as an event: a request begun after shutdown began would retry on.
          if (o.signal?.aborted) throw new AbortError(new SvodkaError('aborted', 'stopped: shutting down', { retryable: true }));
          try {
            return await once<T>(req);
          } catch (e) {
            // Only ours decide: a non-retryable error ends the retries at once, unchanged.
            if (e instanceof SvodkaError && !e.retryable) throw new AbortError(e);
            throw e;
          }
        },
        {
          retries: o.retries ?? 4,
          minTimeout: o.minBackoffMs ?? 500,
          factor: 2,
          randomize: true,
          ...(o.signal ? { signal: o.signal } : {}),
          onFailedAttempt: async (e) => {
            if (e instanceof RateLimitedError && e.retryAfterMs && e.retriesLeft > 0) {
              await new Promise((r) => setTimeout(r, e.retryAfterMs));
            }
          },
        },
      ).catch((e: unknown) => {
        throw (e as { originalError?: unknown }).originalError ?? e;
      }),
  };
}
