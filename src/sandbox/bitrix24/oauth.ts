import { randomBytes } from 'node:crypto';
import type { Caller } from './context.js';
import { errors, RestError } from './errors.js';

export interface TokenAnswer {
  access_token: string;
  expires: number;
  expires_in: number;
  scope: string;
  domain: string;
  server_endpoint: string;
  client_endpoint: string;
  member_id: string;
  user_id: number;
  status: string;
  refresh_token: string;
}

export const SCOPE = 'crm,user,department,task,catalog,placement,event';
const REFRESH_LIFETIME_MS = 28 * 86_400_000;

/** The authorization server (oauth.bitrix.info in production) and the portal's token check, in one. */
export class OAuthServer {
  private access = new Map<string, { userId: number; expiresAt: number }>();
  private refresh = new Map<string, { userId: number; spent: boolean; expiresAt: number }>();

  constructor(
    private readonly o: { clientId: string; clientSecret: string; lifetimeS: number; memberId: string; origin: string },
  ) {}

  issue(userId = 1): TokenAnswer {
    const access_token = randomBytes(16).toString('hex');
    const refresh_token = randomBytes(16).toString('hex');
    const expiresAt = Date.now() + this.o.lifetimeS * 1000;
    this.access.set(access_token, { userId, expiresAt });
    this.refresh.set(refresh_token, { userId, spent: false, expiresAt: Date.now() + REFRESH_LIFETIME_MS });
    return {
      access_token,
      expires: Math.floor(expiresAt / 1000),
      expires_in: this.o.lifetimeS,
      scope: SCOPE,
      domain: new URL(this.o.origin).host,
      server_endpoint: `${this.o.origin}/rest/`,
      client_endpoint: `${this.o.origin}/rest/`,
      member_id: this.o.memberId,
      user_id: userId,
      status: 'L',
      refresh_token,
    };
  }

  check(token: unknown): Caller {
    if (typeof token !== 'string' || token === '') throw errors.noAuth();
    const t = this.access.get(token);
    if (!t) throw errors.invalidToken();
    if (t.expiresAt <= Date.now()) throw errors.expiredToken();
    return { kind: 'app', userId: t.userId };
  }

  expireAll(): void {
    for (const t of this.access.values()) t.expiresAt = 0;
  }

  /** GET or POST /oauth/token/ with grant_type=refresh_token; a refresh token works once. */
  token(p: Record<string, unknown>): TokenAnswer {
    if (p.grant_type !== 'refresh_token') throw new RestError(400, 'invalid_request', 'Unsupported grant_type');
    if (p.client_id !== this.o.clientId || p.client_secret !== this.o.clientSecret) throw new RestError(401, 'invalid_client', 'Invalid client credentials');
    const r = typeof p.refresh_token === 'string' ? this.refresh.get(p.refresh_token) : undefined;
    if (!r || r.spent || r.expiresAt <= Date.now()) throw new RestError(400, 'invalid_grant', 'Invalid refresh token');
    r.spent = true;
    return this.issue(r.userId);
  }
}
