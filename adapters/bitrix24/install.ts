import axios from 'axios';
import { z } from 'zod';
import { AuthError, ValidationError, publicOnlyAgent, untrustedOrigin, type AdapterContext } from '../../src/sdk/index.js';
import { boundEvents } from './events.js';
import { Portal } from './client.js';
import { bitrix24Settings, type Bitrix24Settings } from './config.js';
import { portalAccountId, type NewAccount } from './connect.js';
import { placements } from '../../manifest/bitrix24/app.js';

/** The app's own identity from the partner console; kept by the server, never sent anywhere but the OAuth server. */
export interface AppIdentity {
  clientId: string;
  clientSecret: string;
  /** Where the portal reaches this server (event handlers, placements). */
  publicUrl: string;
  /** Only for the sandbox on loopback. */
  allowPrivate?: boolean;
}

const hex32 = z.string().regex(/^[0-9a-f]{32}$/, 'a member_id');

/** The installer's POST (query: DOMAIN, PROTOCOL, LANG, APP_SID; body: AUTH_ID, REFRESH_ID, ...) merged. */
const installRequest = z.object({
  DOMAIN: z.string().min(3).max(255),
  AUTH_ID: z.string().min(8).max(200),
  AUTH_EXPIRES: z.coerce.number().int().positive().max(86_400).default(3600),
  REFRESH_ID: z.string().min(8).max(200),
  member_id: hex32,
  SERVER_ENDPOINT: z.url({ protocol: /^https$/ }).optional(),
  APPLICATION_TOKEN: z.string().min(8).max(200).optional(),
});

/** ONAPPINSTALL's `auth`, which carries the same in lowercase names. */
const installEventAuth = z.object({
  domain: z.string().min(3).max(255),
  access_token: z.string().min(8).max(200),
  refresh_token: z.string().min(8).max(200),
  expires_in: z.coerce.number().int().positive().max(86_400).default(3600),
  member_id: hex32,
  server_endpoint: z.url({ protocol: /^https$/ }).optional(),
  application_token: z.string().min(8).max(200),
});

export interface InstallGrant {
  origin: string;
  memberId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  serverEndpoint: string | undefined;
  applicationToken: string | undefined;
}

export function parseInstallRequest(fields: Record<string, unknown>, allowPrivate = false): InstallGrant {
  const r = installRequest.safeParse(fields);
  if (!r.success) throw new ValidationError('not a Bitrix24 install request', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const f = r.data;
  return {
    origin: untrustedOrigin(f.DOMAIN, allowPrivate),
    memberId: f.member_id,
    accessToken: f.AUTH_ID,
    refreshToken: f.REFRESH_ID,
    expiresIn: f.AUTH_EXPIRES,
    serverEndpoint: f.SERVER_ENDPOINT,
    applicationToken: f.APPLICATION_TOKEN,
  };
}

export function parseInstallEvent(auth: unknown, allowPrivate = false): InstallGrant {
  const r = installEventAuth.safeParse(auth);
  if (!r.success) throw new ValidationError('not a Bitrix24 ONAPPINSTALL event', r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const a = r.data;
  return {
    origin: untrustedOrigin(a.domain, allowPrivate),
    memberId: a.member_id,
    accessToken: a.access_token,
    refreshToken: a.refresh_token,
    expiresIn: a.expires_in,
    serverEndpoint: a.server_endpoint,
    applicationToken: a.application_token,
  };
}

/**
 * The domain in an install request is untrusted: it is believed only after the portal at that address
 * accepts the given token (app.info), reached over https on a public address (no SSRF to the inside).
 */
export async function confirmGrant(g: InstallGrant, app: AppIdentity): Promise<void> {
  const res = await axios
    .post(`${g.origin}/rest/app.info`, { auth: g.accessToken }, {
      timeout: 10_000,
      validateStatus: () => true,
      maxRedirects: 0,
      ...(app.allowPrivate ? {} : { httpsAgent: publicOnlyAgent() }),
    })
    .catch((e: unknown) => {
      throw new ValidationError(`the portal ${g.origin} does not answer: ${(e as { code?: string }).code ?? 'unreachable'}`);
    });
  const body = res.data as { result?: { CODE?: string; client_id?: string }; error?: string } | undefined;
  if (res.status !== 200 || !body || typeof body !== 'object' || !body.result) {
    throw new AuthError(`the portal ${g.origin} refused the install token (${res.status}${body?.error ? ` ${body.error}` : ''})`);
  }
  const code = body.result.CODE ?? body.result.client_id;
  if (code && code !== app.clientId) throw new AuthError(`the portal ${g.origin} says the token is of another app`);
}

/** What an install is stored as: the OAuth pair sealed, the portal's plan defaults in the settings. */
export function oauthAccount(g: InstallGrant, app: AppIdentity, previousToken?: string): NewAccount {
  return {
    id: portalAccountId(g.origin),
    name: new URL(g.origin).host,
    settings: bitrix24Settings.parse({ portal: g.origin, auth: 'oauth', memberId: g.memberId }),
    secrets: {
      kind: 'oauth',
      accessToken: g.accessToken,
      refreshToken: g.refreshToken,
      expires: Math.floor(Date.now() / 1000) + g.expiresIn,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      // The OAuth server the portal named; oauth.bitrix.info until it names one (ONAPPINSTALL does).
      serverEndpoint: g.serverEndpoint ?? 'https://oauth.bitrix.info/rest/',
      ...((g.applicationToken ?? previousToken) ? { applicationToken: g.applicationToken ?? previousToken } : {}),
    },
  };
}

/**
 * Binds the CRM events (to this account's handler URL) and the placements. Run on every install and
 * update: an app update erases the bindings. A binding that already exists is fine.
 */
export async function bindApp(ctx: AdapterContext<Bitrix24Settings>, account: string, app: AppIdentity): Promise<{ events: number; placements: number }> {
  const portal = await Portal.open(ctx);
  const handler = `${app.publicUrl}/webhooks/bitrix24/events/${account}`;
  const cmds = Object.fromEntries(
    Object.keys(boundEvents).map((event, i) => [`e${i}`, ['event.bind', { event, handler }] as [string, Record<string, unknown>]]),
  );
  const e = await portal.batch(cmds);
  const refused = Object.values(e.errors).filter((x) => !/already/i.test(`${x.code} ${x.message}`));
  if (refused.length) throw new AuthError(`the portal refused event.bind: ${refused[0]!.code} ${refused[0]!.message}`);
  let bound = 0;
  for (const p of placements) {
    const r = await portal
      .call('placement.bind', { PLACEMENT: p.code, HANDLER: `${app.publicUrl}${p.path}`, TITLE: p.title.ru, LANG_ALL: { ru: { TITLE: p.title.ru }, en: { TITLE: p.title.en } } })
      .catch((x: unknown) => {
        ctx.log.warn({ placement: p.code, error: (x as Error).message }, 'bitrix24 placement not bound');
        return undefined;
      });
    if (r) bound += 1;
  }
  return { events: Object.keys(boundEvents).length, placements: bound };
}
