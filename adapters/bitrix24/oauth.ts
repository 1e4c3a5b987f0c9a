import { z } from 'zod';
import { AuthError, type AdapterContext } from '../../src/sdk/index.js';
import type { Bitrix24Settings, Credentials } from './config.js';

type OAuth = Extract<Credentials, { kind: 'oauth' }>;

const tokenAnswer = z.looseObject({
  access_token: z.string().min(8),
  refresh_token: z.string().min(8),
  expires: z.coerce.number().int().positive().optional(),
  expires_in: z.coerce.number().int().positive().optional(),
  server_endpoint: z.url({ protocol: /^https$/ }).optional(),
  member_id: z.string().optional(),
});

/**
 * Trades the refresh token for a new pair at the OAuth server the portal named. Bitrix24 rotates the
 * refresh token: the new one is returned to be stored at once (the caller holds the rotation lock).
 */
export async function refreshTokens(ctx: AdapterContext<Bitrix24Settings>, cur: OAuth): Promise<OAuth> {
  const url = new URL('/oauth/token/', cur.serverEndpoint);
  const res = await ctx.http.request<unknown>({
    method: 'GET',
    url: url.toString(),
    query: { grant_type: 'refresh_token', client_id: cur.clientId, client_secret: cur.clientSecret, refresh_token: cur.refreshToken },
  });
  const t = tokenAnswer.safeParse(res.data);
  if (!t.success) throw new AuthError('Bitrix24 OAuth server: the refresh answer is not a token pair');
  if (ctx.config.memberId && t.data.member_id && t.data.member_id !== ctx.config.memberId) {
    throw new AuthError('Bitrix24 OAuth server: the refreshed token belongs to another portal');
  }
  const now = Math.floor(Date.now() / 1000);
  return {
    ...cur,
    accessToken: t.data.access_token,
    refreshToken: t.data.refresh_token,
    // From the lifetime, on our clock: the portal's absolute `expires` is on its clock, which may differ.
    expires: t.data.expires_in ? now + t.data.expires_in : (t.data.expires ?? now + 3600),
    serverEndpoint: t.data.server_endpoint ?? cur.serverEndpoint,
    refreshedAt: now,
  };
}
