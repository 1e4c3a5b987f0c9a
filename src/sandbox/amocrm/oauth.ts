import { randomBytes } from 'node:crypto';
import { ApiError, problem } from './http.js';

/** The documented /oauth2/access_token answer. */
export interface TokenPair {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string;
}

export interface Grant {
  userId: number;
  clientId: string;
}

const CODE_LIFETIME_MS = 20 * 60_000; // "код авторизации … действует только 20 минут"
const REFRESH_LIFETIME_MS = 90 * 86_400_000; // "Refresh токен действует всего 3 месяца"

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

// Bodies of token errors are not documented; the spent-refresh one is as users recorded it (status 401),
// the hints follow the league/oauth2-server messages amoCRM's server is built on.
function oauthError(status: number, hint: string): ApiError {
  return new ApiError(status, { hint, title: 'Некорректный запрос', type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson', status, detail: 'В запросе отсутствует ряд параметров или параметры невалидны' });
}

/** The account's authorization server and its bearer check, in one. */
export class OAuthServer {
  refreshes = 0;
  private codes = new Map<string, { expiresAt: number; used: boolean }>();
  private access = new Map<string, Grant & { expiresAt: number; longLived: boolean }>();
  private refresh = new Map<string, { userId: number; spent: boolean; expiresAt: number }>();

  constructor(private readonly o: { clientId: string; clientSecret: string; redirectUri: string; lifetimeS: number; accountId: number; domain: string }) {}

  /** A JWT-shaped token (the docs say access tokens are JWT); only the server's own table makes it valid. */
  private jwt(clientId: string, userId: number, expS: number): string {
    const now = Math.floor(Date.now() / 1000);
    const jti = randomBytes(20).toString('hex');
    const payload = { aud: clientId, jti, iat: now, nbf: now, exp: expS, sub: String(userId), grant_type: '', account_id: this.o.accountId, base_domain: 'amocrm.ru', version: 2, scopes: ['crm', 'files', 'notifications'], api_domain: this.o.domain };
    return `${b64({ typ: 'JWT', alg: 'RS256' })}.${b64(payload)}.${randomBytes(64).toString('base64url')}`;
  }

  issue(userId: number): TokenPair {
    const expiresAt = Date.now() + this.o.lifetimeS * 1000;
    const access_token = this.jwt(this.o.clientId, userId, Math.floor(expiresAt / 1000));
    const refresh_token = `def50200${randomBytes(120).toString('hex')}`;
    this.access.set(access_token, { userId, clientId: this.o.clientId, expiresAt, longLived: false });
    this.refresh.set(refresh_token, { userId, spent: false, expiresAt: Date.now() + REFRESH_LIFETIME_MS });
    return { token_type: 'Bearer', expires_in: this.o.lifetimeS, access_token, refresh_token };
  }

  /** A private integration's long-lived token: no refresh token, untouched by expireAll(). */
  longLived(userId: number, clientId: string): string {
    const expiresAt = Date.now() + 5 * 365 * 86_400_000;
    const token = this.jwt(clientId, userId, Math.floor(expiresAt / 1000));
    this.access.set(token, { userId, clientId, expiresAt, longLived: true });
    return token;
  }

  issueCode(): string {
    const code = `def50200${randomBytes(200).toString('hex')}`;
    this.codes.set(code, { expiresAt: Date.now() + CODE_LIFETIME_MS, used: false });
    return code;
  }

  expireAll(): void {
    for (const t of this.access.values()) if (!t.longLived) t.expiresAt = 0;
  }

  /** `Authorization: Bearer …` on every /api/v4 call; 401 when missing, unknown or expired. */
  check(header: string | undefined): Grant {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const t = m ? this.access.get(m[1] as string) : undefined;
    if (!t || t.expiresAt <= Date.now()) throw problem(401, 'Неверный логин или пароль');
    return { userId: t.userId, clientId: t.clientId };
  }

  /** POST /oauth2/access_token with grant_type authorization_code or refresh_token. */
  token(p: Record<string, unknown>, userId: number): TokenPair {
    if (p.client_id !== this.o.clientId || p.client_secret !== this.o.clientSecret) throw oauthError(401, 'Client authentication failed');
    if (p.redirect_uri !== this.o.redirectUri) throw oauthError(400, 'Invalid redirect_uri');
    if (p.grant_type === 'authorization_code') {
      const c = typeof p.code === 'string' ? this.codes.get(p.code) : undefined;
      if (!c) throw oauthError(400, 'Cannot decrypt the authorization code');
      if (c.used) throw oauthError(400, 'Authorization code has been revoked');
      if (c.expiresAt <= Date.now()) throw oauthError(400, 'Authorization code has expired');
      c.used = true;
      return this.issue(userId);
    }
    if (p.grant_type === 'refresh_token') {
      const r = typeof p.refresh_token === 'string' ? this.refresh.get(p.refresh_token) : undefined;
      if (!r) throw oauthError(400, 'Cannot decrypt the refresh token');
      if (r.spent) throw oauthError(401, 'Token has been revoked');
      if (r.expiresAt <= Date.now()) throw oauthError(400, 'Token has expired');
      // One use only; the old access token stays valid until it expires (docs say nothing else).
      r.spent = true;
      this.refreshes++;
      return this.issue(r.userId);
    }
    throw oauthError(400, 'The authorization grant type is not supported by the authorization server.');
  }
}
