import { AjaxError, ApiVersion, B24Hook, B24OAuth, SdkError, type AjaxResult } from '@bitrix24/b24jssdk';
import pRetry, { AbortError } from 'p-retry';
import {
  AuthError,
  RateLimitedError,
  SvodkaError,
  TransientError,
  type AdapterContext,
} from '../../src/sdk/index.js';
import { credentials as credentialsSchema, type Bitrix24Settings, type Credentials } from './config.js';
import { refreshTokens } from './oauth.js';

export type Params = Record<string, unknown>;

/** One answer of a list method: `total` and `next` as the portal sent them (absent with start=-1). */
export interface Answer<T = unknown> {
  result: T;
  total: number | undefined;
  next: number | undefined;
  /** When the portal began answering (its clock), from `time.date_start`. */
  startedAt: string | undefined;
}

export interface BatchAnswer {
  /** By command key, for the commands that succeeded. */
  results: Record<string, Answer>;
  /** By command key: the portal's error code and message. */
  errors: Record<string, { code: string; message: string }>;
  startedAt: string | undefined;
}

/** How long a blocked method is waited for before the next try (tests shorten it). */
export const waits = { operatingMs: 60_000 };

/** The most commands one `batch` call may carry. */
export const maxBatch = 50;

type Sdk = B24Hook | B24OAuth;

/**
 * A connected portal, reached through the official SDK's actions.v2 surface. In front of the SDK sit
 * the account's shared rate limit (every request the SDK sends waits at ctx.gate(), across all worker
 * processes) and, for OAuth, a token refresh that happens once across processes (ctx.secrets.rotate).
 * The SDK retries nothing itself: p-retry here retries what our classification calls retryable.
 */
export class Portal {
  private constructor(
    private readonly sdk: Sdk,
    private readonly ctx: AdapterContext<Bitrix24Settings>,
  ) {}

  static async open(ctx: AdapterContext<Bitrix24Settings>): Promise<Portal> {
    const stored = await ctx.secrets.read();
    if (!stored) throw new AuthError(`account ${ctx.account} has no stored Bitrix24 credentials: connect it again`);
    const parsed = credentialsSchema.safeParse(stored.value);
    if (!parsed.success) throw new AuthError(`account ${ctx.account}: the stored Bitrix24 credentials are not usable`);
    const sdk = makeSdk(ctx, parsed.data, stored.version);
    const http = sdk.getHttpClient(ApiVersion.v2);
    // The account's shared limit, for every request the SDK sends (retries included).
    http.ajaxClient.interceptors.request.use(async (config) => {
      await ctx.gate();
      return config;
    });
    return new Portal(sdk, ctx);
  }

  /** One REST method call. */
  async call<T = unknown>(method: string, params: Params = {}): Promise<Answer<T>> {
    return this.retrying(method, async () => {
      const r = await this.sdk.actions.v2.call.make({ method, params });
      return answerOf<T>(r, method);
    });
  }

  /** Up to 50 calls in one request; each command's failure is reported per key, not thrown. */
  async batch(commands: Record<string, [string, Params]>): Promise<BatchAnswer> {
    const keys = Object.keys(commands);
    if (keys.length === 0 || keys.length > maxBatch) throw new SvodkaError('bitrix24_batch_size', `a batch holds 1 to ${maxBatch} commands, not ${keys.length}`);
    return this.retrying('batch', async () => {
      const r = await this.sdk.actions.v2.batch.make({
        calls: commands,
        options: { isHaltOnError: false, returnAjaxResult: true },
      });
      const data = (r.getData() ?? {}) as Record<string, AjaxResult>;
      const out: BatchAnswer = { results: {}, errors: {}, startedAt: undefined };
      for (const key of keys) {
        const one = data[key];
        if (!one) {
          out.errors[key] = { code: 'NO_ANSWER', message: 'the portal returned nothing for this command' };
        } else if (!one.isSuccess) {
          const e = one.getErrors().next().value as AjaxError | undefined;
          out.errors[key] = { code: e?.code ?? 'ERROR', message: e?.message ?? 'failed' };
        } else {
          out.results[key] = answerOf(one, key);
        }
      }
      // A batch-level failure (every command failed the same way, e.g. rate limit) is the batch's failure.
      const first = Object.values(out.errors)[0];
      if (first && !Object.keys(out.results).length && keys.length > 0) {
        const error = classify(new AjaxError({ code: first.code, description: first.message, status: 400, requestInfo: { method: 'batch' } }), 'batch');
        if (error.retryable || error instanceof AuthError) throw error;
      }
      return out;
    });
  }

  private retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return pRetry(
      async () => {
        // p-retry hears an abort only as an event: a call begun after shutdown began would retry on.
        if (this.ctx.signal.aborted) throw new AbortError(new SvodkaError('aborted', 'stopped: shutting down', { retryable: true }));
        try {
          return await fn();
        } catch (e) {
          const error = e instanceof SvodkaError ? e : classify(e, what);
          if (!error.retryable) throw new AbortError(error);
          throw error;
        }
      },
      {
        // With the 60 s waits of an operating-time block, ten retries outlast its 10 minutes.
        retries: 10,
        minTimeout: 1_000,
        maxTimeout: 30_000,
        factor: 2,
        randomize: true,
        signal: this.ctx.signal,
        onFailedAttempt: async (e) => {
          this.ctx.log.warn({ what, attempt: e.attemptNumber, error: (e as Error).message }, 'bitrix24 request retried');
          if (e instanceof RateLimitedError && e.retryAfterMs && e.retriesLeft > 0) {
            await new Promise((r) => setTimeout(r, e.retryAfterMs));
          }
        },
      },
    ).catch((e: unknown) => {
      throw (e as { originalError?: unknown }).originalError ?? e;
    });
  }
}

function answerOf<T>(r: AjaxResult, what: string): Answer<T> {
  if (!r.isSuccess) throw classify(r.getErrors().next().value, what);
  const data = r.getData() as { result: T; time?: { date_start?: string } } | undefined;
  if (!data || data.result === undefined) {
    throw new TransientError(`Bitrix24 ${what}: the answer has no result`, { code: 'bitrix24_bad_answer' });
  }
  const raw = r as unknown as { getTotal(): number; isMore(): boolean };
  const total = raw.getTotal();
  return {
    result: data.result,
    total: Number.isFinite(total) && total > 0 ? total : undefined,
    next: nextOf(r),
    startedAt: data.time?.date_start,
  };
}

function nextOf(r: AjaxResult): number | undefined {
  const answer = (r as unknown as { _data?: { next?: unknown } })._data;
  const n = Number(answer?.next);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

const authCodes = new Set([
  'expired_token',
  'invalid_token',
  'INVALID_CREDENTIALS',
  'NO_AUTH_FOUND',
  'ACCESS_DENIED',
  'insufficient_scope',
  'WRONG_AUTH_TYPE',
  'PAYMENT_REQUIRED',
  'authorization_error',
]);

/** Our reading of an SDK or portal failure: retryable (limits, 5xx, network) or final with the portal's message. */
export function classify(e: unknown, what: string): SvodkaError {
  const code = e instanceof AjaxError || e instanceof SdkError ? e.code : ((e as { code?: string })?.code ?? '');
  const status = e instanceof AjaxError ? e.status : 0;
  const message = safeMessage(e);
  const detail = `Bitrix24 ${what}: ${code ? `${code}: ` : ''}${message}`;
  if (code === 'QUERY_LIMIT_EXCEEDED' || status === 429) return new RateLimitedError(detail, { retryAfterMs: 1_000, cause: e });
  // A method over its operating time is blocked for up to 10 minutes: wait in long steps.
  if (code === 'OPERATION_TIME_LIMIT') return new RateLimitedError(detail, { retryAfterMs: waits.operatingMs, cause: e });
  if (authCodes.has(code)) return new AuthError(detail, { cause: e });
  if (status >= 500 || status === 408 || ['NETWORK_ERROR', 'REQUEST_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'INTERNAL_SERVER_ERROR'].includes(code)) {
    return new TransientError(detail, { code: 'bitrix24_unavailable', cause: e });
  }
  // An empty or non-JSON body with 200 (a proxy, a portal mid-update) trips the SDK's reading: an outage.
  if ((status === 200 && /JSON|parse/i.test(message)) || code === 'JSSDK_UNKNOWN_ERROR') {
    return new TransientError(detail, { code: 'bitrix24_bad_answer', cause: e });
  }
  return new SvodkaError(`bitrix24_${code || 'error'}`.toLowerCase().slice(0, 60), detail, { cause: e });
}

/** The portal's own words, without anything that looks like a token. */
function safeMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/[a-z0-9]{24,}/gi, '***').slice(0, 300);
}

function makeSdk(ctx: AdapterContext<Bitrix24Settings>, c: Credentials, version: number): Sdk {
  const restrictionParams = {
    // The shared limiter in front (ctx.gate) holds the portal's bucket across processes; the SDK's own
    // in-process bucket is set to the same plan, and its retries are off: p-retry in Portal decides.
    rateLimit: { burstLimit: ctx.config.burst, drainRate: ctx.config.perSecond, adaptiveEnabled: false },
    adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0.001, maxDelay: 0 },
    maxRetries: 1,
  };
  if (c.kind === 'webhook') {
    const hook = new B24Hook({ b24Url: ctx.config.portal, userId: c.userId, secret: c.secret }, { restrictionParams });
    hook.offClientSideWarning();
    return hook;
  }
  const sdk = new B24OAuth(
    {
      applicationToken: c.applicationToken ?? '',
      userId: 0,
      memberId: ctx.config.memberId ?? '',
      accessToken: c.accessToken,
      refreshToken: c.refreshToken,
      expires: c.expires,
      expiresIn: Math.max(0, c.expires - Math.floor(Date.now() / 1000)),
      scope: '',
      domain: new URL(ctx.config.portal).host,
      // The SDK appends "/<method>" to this: no trailing slash.
      clientEndpoint: `${ctx.config.portal}/rest`,
      serverEndpoint: c.serverEndpoint,
      status: 'L',
    } as unknown as ConstructorParameters<typeof B24OAuth>[0],
    { clientId: c.clientId, clientSecret: c.clientSecret },
    { restrictionParams },
  );
  let seen = version;
  // Exactly one refresh for the account, whichever process and request sees the expiry first; the
  // others wait on the lock and take the tokens it stored. A 401 that comes back after the refresh (a
  // request sent with the old token) finds a token refreshed moments ago and takes it as it is.
  sdk.setCustomRefreshAuth(async () => {
    const latest = await ctx.secrets.read();
    const fresh = latest && credentialsSchema.safeParse(latest.value);
    const recent = fresh?.success && fresh.data.kind === 'oauth' && (fresh.data.refreshedAt ?? 0) > Date.now() / 1000 - 60;
    const next = recent && latest
      ? latest
      : await ctx.secrets.rotate(seen, async (current) => {
          const cur = credentialsSchema.parse(current);
          if (cur.kind !== 'oauth') throw new AuthError('the stored credentials are not OAuth tokens');
          return refreshTokens(ctx, cur);
        });
    seen = next.version;
    const t = credentialsSchema.parse(next.value);
    if (t.kind !== 'oauth') throw new AuthError('the stored credentials are not OAuth tokens');
    return {
      access_token: t.accessToken,
      refresh_token: t.refreshToken,
      expires: String(t.expires),
      expires_in: String(Math.max(0, t.expires - Math.floor(Date.now() / 1000))),
      client_endpoint: `${ctx.config.portal}/rest/`,
      server_endpoint: t.serverEndpoint,
      member_id: ctx.config.memberId ?? '',
      scope: '',
      status: 'L',
      domain: new URL(ctx.config.portal).host,
    } as never;
  });
  return sdk;
}
