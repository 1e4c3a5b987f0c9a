import { z } from 'zod';
import { AuthError, SvodkaError, ValidationError, type AdapterContext, type HttpResponse } from '../../src/sdk/index.js';
import { amoCredentials, type AmoCredentials, type AmocrmSettings } from './config.js';

type Ctx = AdapterContext<AmocrmSettings>;

/** Refresh this long before the access token expires, so that no request goes out with a dying one. */
const refreshAheadS = 300;

const tokenAnswer = z.looseObject({
  access_token: z.string().min(16),
  refresh_token: z.string().min(16),
  expires_in: z.coerce.number().int().positive(),
});

/** amoCRM's HTML 403 after repeated 429s: the account is blocked for a while; hammering makes it worse. */
export function classifyAmo(res: HttpResponse): SvodkaError | undefined {
  const html = typeof res.data === 'string' && /<html/i.test(res.data);
  if (res.status === 403 && html) {
    return new SvodkaError('account_blocked', 'amoCRM blocked this integration after too many requests (403); the account is stopped until someone resumes it');
  }
  return undefined;
}

/**
 * A thin amoCRM API v4 client over the core's HTTP client (shared per-account limit, retries on 429,
 * 5xx and 504, secrets masked). Tokens come from the sealed store: refreshed ahead of expiry under the
 * cross-process rotation lock (exactly one refresh per expiry), and a 401 re-reads the token and retries
 * once. amocrm-js is not used: see README.
 */
export class Amo {
  constructor(private readonly ctx: Ctx) {}

  private async credentials(): Promise<{ c: AmoCredentials; version: number }> {
    const stored = await this.ctx.secrets.read();
    const c = amoCredentials.safeParse(stored?.value);
    if (!stored || !c.success) throw new AuthError(`account ${this.ctx.account} has no usable amoCRM credentials: connect it again`);
    return { c: c.data, version: stored.version };
  }

  /** The access token to send, refreshed first when it is about to expire. */
  private async token(force = false, seenToken?: string): Promise<string> {
    const { c, version } = await this.credentials();
    if (c.kind === 'long-lived') return c.token;
    const now = Math.floor(Date.now() / 1000);
    const stale = force ? c.accessToken === seenToken : c.expires - refreshAheadS <= now;
    if (!stale) return c.accessToken;
    const next = await this.ctx.secrets.rotate(version, async (current) => this.refresh(amoCredentials.parse(current)));
    const n = amoCredentials.parse(next.value);
    return n.kind === 'oauth' ? n.accessToken : n.token;
  }

  private async refresh(c: AmoCredentials): Promise<AmoCredentials> {
    if (c.kind !== 'oauth') return c;
    const res = await this.ctx.http.request<unknown>({
      method: 'POST',
      url: `${this.ctx.config.baseUrl}/oauth2/access_token`,
      body: { client_id: c.clientId, client_secret: c.clientSecret, grant_type: 'refresh_token', refresh_token: c.refreshToken, redirect_uri: c.redirectUri },
    }).catch((e: unknown) => {
      // A spent or revoked refresh token cannot be retried: someone must connect the account again.
      throw new AuthError(`amoCRM refused to refresh the token: ${(e as Error).message}`, { cause: e });
    });
    const t = tokenAnswer.safeParse(res.data);
    if (!t.success) throw new AuthError('amoCRM: the refresh answer is not a token pair');
    const now = Math.floor(Date.now() / 1000);
    return { ...c, accessToken: t.data.access_token, refreshToken: t.data.refresh_token, expires: now + t.data.expires_in, refreshedAt: now };
  }

  async request<T = unknown>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, o: { query?: Record<string, string | number>; body?: unknown } = {}): Promise<HttpResponse<T>> {
    const send = async (token: string) =>
      this.ctx.http.request<T>({
        method,
        url: `${this.ctx.config.baseUrl}${path}`,
        ...(o.query ? { query: o.query } : {}),
        ...(o.body !== undefined ? { body: o.body } : {}),
        headers: { authorization: `Bearer ${token}` },
      });
    const token = await this.token();
    try {
      return await send(token);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      // Another process may have refreshed meanwhile, or the token was revoked: re-read, refresh if still the same, once.
      return send(await this.token(true, token));
    }
  }

  /** Every page of a list, following `_links.next`; 204 (no content) is an empty page. */
  async *pages(path: string, key: string, query: Record<string, string | number> = {}): AsyncIterable<{ items: Record<string, unknown>[]; page: number }> {
    let page = 1;
    for (;;) {
      const res = await this.request<{ _embedded?: Record<string, unknown>; _links?: { next?: { href?: string } } } | ''>('GET', path, { query: { ...query, page, limit: query.limit ?? 250 } });
      if (res.status === 204 || !res.data) return;
      if (typeof res.data !== 'object') throw new ValidationError(`amoCRM ${path}: the answer is not JSON`);
      const items = res.data._embedded?.[key];
      if (items !== undefined && !Array.isArray(items)) throw new ValidationError(`amoCRM ${path}: _embedded.${key} is not a list`);
      yield { items: (items ?? []) as Record<string, unknown>[], page };
      if (!res.data._links?.next?.href) return;
      page += 1;
    }
  }
}
