import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** Who is looking: an admin or director sees everything, a head their departments, a manager their own records. */
export const role = z.enum(['admin', 'director', 'head', 'manager']);
export type Role = z.infer<typeof role>;
export const lang = z.enum(['ru', 'en']);
export type Lang = z.infer<typeof lang>;

export const session = z.object({
  account: z.string().min(1).max(100),
  /** The CRM user (the model's users.external_id); null for a sign-in link made by the operator. */
  user: z.string().min(1).max(100).nullable(),
  role,
  lang,
  /** Unix seconds. */
  exp: z.int().positive(),
});
export type Session = z.infer<typeof session>;

/** What signs: Store.mac in the server, so that only this install's key makes a valid session. */
export type Mac = (purpose: string, data: string) => Buffer;

/** A session token opens pages; a sign-in link token can only be exchanged for a session. */
export type Purpose = 'dashboard-session' | 'dashboard-link';
export const SESSION_HOURS = 12;
export const LINK_HOURS = 7 * 24;

/** `<payload>.<signature>`, both base64url: the session travels in the URL, since third-party cookies are gone in frames. */
export function signSession(mac: Mac, s: Session, purpose: Purpose = 'dashboard-session'): string {
  const payload = Buffer.from(JSON.stringify(session.parse(s))).toString('base64url');
  return `${payload}.${mac(purpose, payload).toString('base64url')}`;
}

/** The session a token carries, or undefined when it is malformed, forged, expired or made for another purpose. */
export function openSession(mac: Mac, token: unknown, now = Date.now(), purpose: Purpose = 'dashboard-session'): Session | undefined {
  if (typeof token !== 'string' || token.length > 2000) return undefined;
  const [payload, sig, extra] = token.split('.');
  if (!payload || !sig || extra !== undefined) return undefined;
  const want = mac(purpose, payload);
  const got = Buffer.from(sig, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const r = session.safeParse(raw);
  if (!r.success || r.data.exp * 1000 <= now) return undefined;
  return r.data;
}

export function expiresIn(hours: number, now = Date.now()): number {
  return Math.floor(now / 1000) + Math.round(hours * 3600);
}
