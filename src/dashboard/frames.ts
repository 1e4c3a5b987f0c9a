import axios from 'axios';
import { z } from 'zod';
import type { Env } from '../config/env.js';
import { publicOnlyAgent } from '../sdk/net.js';
import type { Store } from '../store/index.js';
import { verifyAmoToken } from './jwt.js';
import { expiresIn, SESSION_HOURS, type Lang, type Session } from './session.js';
import { isActiveUser, roleOf } from './viewer.js';

/** A frame or link that does not prove who is looking: answered with the 401 page, never with data. */
export class FrameAuthError extends Error {
  readonly code = 'dashboard_unauthorized';
}

/** The fields Bitrix24 posts to a placement or app page (the rest, such as PLACEMENT_OPTIONS, is not needed to sign in). */
export const b24FrameForm = z.object({
  AUTH_ID: z.string().min(8).max(200),
  member_id: z.string().max(64).optional(),
  LANG: z.string().max(5).optional(),
});

/** Which page a placement opens (`?page=` in its handler URL). */
export const framePage = z.enum(['ads', 'managers', 'stale', 'forecast', 'onec', 'sync']).catch('ads');

const profileAnswer = z.object({
  // ADMIN is a JSON boolean: anything else ("N", "0") must not read as true.
  result: z.object({ ID: z.coerce.number().int().positive(), ADMIN: z.boolean().optional() }),
});

const langOf = (v: string | undefined): Lang => (v?.toLowerCase() === 'en' ? 'en' : 'ru');

async function sessionFor(store: Store, account: string, user: string, crmAdmin: boolean, lang: Lang): Promise<Session> {
  if (!(await isActiveUser(store.db, account, user))) throw new FrameAuthError(`user ${user} is not an active user of ${account} (sync first?)`);
  return { account, user, role: await roleOf(store.db, account, user, crmAdmin), lang, exp: expiresIn(SESSION_HOURS) };
}

/** The Bitrix24 account an installed app's placement belongs to, by the member_id it posts. */
export async function accountByMemberId(store: Store, body: unknown): Promise<string> {
  const m = z.object({ member_id: z.string().regex(/^[0-9a-f]{32}$/) }).safeParse(body);
  if (!m.success) throw new FrameAuthError('the placement did not post a member_id');
  const r = await store.db.query<{ id: string }>(`SELECT id FROM accounts WHERE kind = 'bitrix24' AND settings->>'memberId' = $1`, [m.data.member_id]);
  if (r.rows.length !== 1) throw new FrameAuthError('no installed portal has this member_id');
  return r.rows[0]!.id;
}

/** The amoCRM account a widget token names (its issuer), before the token is verified with that account's secret. */
export async function accountByAmoIssuer(store: Store, token: string | undefined): Promise<string> {
  let iss: string;
  try {
    iss = new URL(String((JSON.parse(Buffer.from((token ?? '').split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown }).iss)).origin;
  } catch {
    throw new FrameAuthError('the one-time token is not valid');
  }
  const account = await amoAccountByOrigin(store, iss);
  if (!account) throw new FrameAuthError('no connected amoCRM account has this address');
  return account;
}

/** The one connected amoCRM account at this address (https://<subdomain>.amocrm.ru), if any. */
export async function amoAccountByOrigin(store: Store, origin: string): Promise<string | undefined> {
  const r = await store.db.query<{ id: string }>(`SELECT id FROM accounts WHERE kind = 'amocrm' AND settings->>'baseUrl' = $1`, [origin]);
  return r.rows.length === 1 ? r.rows[0]!.id : undefined;
}

/**
 * A Bitrix24 placement: the posted AUTH_ID is checked by calling the account's own portal with it
 * (`profile`); the portal, not the request, says who the user is and whether they are an admin.
 * The portal address comes from the stored account, so a request cannot point the check elsewhere.
 */
export async function bitrix24Session(store: Store, account: string, body: unknown, allowPrivate = false): Promise<Session> {
  const acc = await store.accounts.get(account);
  if (!acc || acc.kind !== 'bitrix24') throw new FrameAuthError('no such Bitrix24 account');
  const form = b24FrameForm.safeParse(body);
  if (!form.success) throw new FrameAuthError('the placement did not post AUTH_ID');
  const settings = acc.settings as { portal?: string; memberId?: string; auth?: string };
  if (settings.memberId && form.data.member_id !== settings.memberId) throw new FrameAuthError('member_id is not this portal’s');
  let answer: unknown;
  try {
    // No redirects (a 307 would re-post the AUTH_ID elsewhere); an installed portal's address is checked
    // to be public at connection time, as at install.
    const agent = settings.auth === 'oauth' && !allowPrivate ? { httpsAgent: publicOnlyAgent() } : {};
    const r = await axios.post(`${settings.portal}/rest/profile.json`, new URLSearchParams({ auth: form.data.AUTH_ID }), { timeout: 10_000, maxRedirects: 0, validateStatus: () => true, ...agent });
    answer = r.data;
  } catch {
    throw new FrameAuthError('the portal could not be reached to check the placement’s auth');
  }
  const p = profileAnswer.safeParse(answer);
  if (!p.success) throw new FrameAuthError('the portal refused the placement’s auth');
  return sessionFor(store, account, String(p.data.result.ID), p.data.result.ADMIN ?? false, langOf(form.data.LANG));
}

/**
 * amoCRM: the widget's one-time token (HS256 with the integration's secret). The account is named in
 * the URL; the token must be issued by that account's address and for that amoCRM account id.
 */
export async function amocrmSession(store: Store, env: Env, account: string, token: string | undefined, lang?: string): Promise<Session> {
  const acc = await store.accounts.get(account);
  if (!acc || acc.kind !== 'amocrm') throw new FrameAuthError('no such amoCRM account');
  if (!token) throw new FrameAuthError('no X-Auth-Token');
  const creds = (await store.forAccount(account).secrets.read())?.value as { kind?: string; clientSecret?: string } | undefined;
  const secret = creds?.kind === 'oauth' && creds.clientSecret ? creds.clientSecret : env.SVODKA_AMO_CLIENT_SECRET;
  if (!secret) throw new FrameAuthError('the integration secret is not configured (SVODKA_AMO_CLIENT_SECRET)');
  const claims = verifyAmoToken(token, secret);
  if (!claims) throw new FrameAuthError('the one-time token is not valid');
  const settings = acc.settings as { baseUrl?: string; amoAccountId?: number };
  const issuer = (() => {
    try {
      return new URL(claims.iss).origin;
    } catch {
      return '';
    }
  })();
  if (issuer !== settings.baseUrl) throw new FrameAuthError('the token was issued by another account');
  if (settings.amoAccountId !== undefined && claims.account_id !== settings.amoAccountId) throw new FrameAuthError('the token names another account');
  // One-time: a token seen before is refused (its id is kept in the inbox, as webhooks are).
  const jti = claims.jti ?? `${claims.user_id}:${claims.iat ?? claims.exp}`;
  if ((await store.forAccount(account).inbox.receive('amocrm-widget-token', jti, { user: claims.user_id, exp: claims.exp })).duplicate) {
    throw new FrameAuthError('the one-time token was used already');
  }
  return sessionFor(store, account, String(claims.user_id), false, langOf(lang));
}

/** The origin that may frame the account's pages: its portal or amoCRM address. */
export async function frameOrigin(store: Store, account: string): Promise<string | undefined> {
  const acc = await store.accounts.get(account);
  const s = acc?.settings as { portal?: string; baseUrl?: string } | undefined;
  return s?.portal ?? s?.baseUrl;
}
