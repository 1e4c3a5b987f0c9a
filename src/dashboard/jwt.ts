import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** The claims of an amoCRM one-time token (the widget's `$authorizedAjax` sends it as X-Auth-Token). */
export const amoClaims = z.object({
  iss: z.string(),
  aud: z.string().optional(),
  jti: z.string().optional(),
  iat: z.number().optional(),
  nbf: z.number().optional(),
  exp: z.number(),
  account_id: z.coerce.number().int().positive(),
  user_id: z.coerce.number().int().positive(),
  client_uuid: z.string().optional(),
});
export type AmoClaims = z.infer<typeof amoClaims>;

const LEEWAY_S = 60;

/** Verifies an HS256 JWT signed with the integration's secret; undefined when it is forged, malformed or expired. */
export function verifyAmoToken(token: string, secret: string, now = Date.now()): AmoClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [head, body, sig] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  try {
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  // Only HS256: a token naming "none" or another algorithm is refused before any signature check.
  if ((header as { alg?: unknown } | null)?.alg !== 'HS256') return undefined;
  const want = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  const c = amoClaims.safeParse(payload);
  if (!c.success) return undefined;
  const s = now / 1000;
  if (c.data.exp + LEEWAY_S < s || (c.data.nbf !== undefined && c.data.nbf - LEEWAY_S > s)) return undefined;
  return c.data;
}

/** Makes such a token: the sandbox account and the tests stand in for amoCRM with it. */
export function signAmoToken(claims: AmoClaims, secret: string): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = enc({ alg: 'HS256', typ: 'JWT' });
  const body = enc(claims);
  return `${head}.${body}.${createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url')}`;
}
