import { createHmac, randomBytes } from 'node:crypto';
import axios from 'axios';
import { z } from 'zod';
import { AuthError, ValidationError, publicOnlyAgent, type AdapterContext } from '../../src/sdk/index.js';
import { Amo } from './client.js';
import { amocrmSettings, type AmocrmSettings } from './config.js';
import { amoAccountId, type NewAmoAccount } from './connect.js';

export interface AmoApp {
  clientId: string;
  clientSecret: string;
  publicUrl: string;
  allowPrivate?: boolean;
}

/** The install redirect: ?code=...&referer=<subdomain>.amocrm.ru&state=...&from_widget=1&platform=1 */
export const installQuery = z.object({
  code: z.string().min(8).max(2000),
  referer: z.string().min(3).max(255),
  state: z.string().max(500).optional(),
  from_widget: z.string().optional(),
  platform: z.string().optional(),
});

const amoHost = /^[a-z0-9-]{1,63}\.(amocrm\.(ru|com)|kommo\.com)$/;

/** The referer names the account's host; only amoCRM's own domains are believed (the sandbox: loopback). */
export function refererOrigin(referer: string, allowPrivate = false): string {
  const host = referer.replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
  if (amoHost.test(host)) return `https://${host}`;
  if (allowPrivate && /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return `http://${host}`;
  throw new ValidationError(`${host} is not an amoCRM account address`);
}

const tokenAnswer = z.looseObject({ access_token: z.string().min(16), refresh_token: z.string().min(16), expires_in: z.coerce.number().int().positive() });

/** Exchanges the install code for the first token pair (over https to public addresses only). */
export async function exchangeCode(origin: string, code: string, app: AmoApp): Promise<NewAmoAccount> {
  const redirectUri = `${app.publicUrl}/webhooks/amocrm/install`;
  const res = await axios
    .post(`${origin}/oauth2/access_token`, { client_id: app.clientId, client_secret: app.clientSecret, grant_type: 'authorization_code', code, redirect_uri: redirectUri }, {
      timeout: 10_000,
      validateStatus: () => true,
      maxRedirects: 0,
      ...(app.allowPrivate ? {} : { httpsAgent: publicOnlyAgent() }),
    })
    .catch((e: unknown) => {
      throw new ValidationError(`the amoCRM account ${origin} does not answer: ${(e as { code?: string }).code ?? 'unreachable'}`);
    });
  const t = tokenAnswer.safeParse(res.data);
  if (res.status !== 200 || !t.success) throw new AuthError(`amoCRM refused the install code (${res.status})`);
  const now = Math.floor(Date.now() / 1000);
  return {
    id: amoAccountId(origin),
    name: new URL(origin).host,
    settings: amocrmSettings.parse({ baseUrl: origin }),
    secrets: {
      kind: 'oauth',
      accessToken: t.data.access_token,
      refreshToken: t.data.refresh_token,
      expires: now + t.data.expires_in,
      refreshedAt: now,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      redirectUri,
      webhookSecret: randomBytes(24).toString('hex'),
    },
  };
}

/** The events svodka subscribes to. */
export const webhookSettings = [
  'add_lead', 'update_lead', 'delete_lead', 'restore_lead', 'status_lead', 'responsible_lead',
  'add_contact', 'update_contact', 'delete_contact', 'restore_contact', 'responsible_contact',
  'add_company', 'update_company', 'delete_company', 'restore_company', 'responsible_company',
  'add_task', 'update_task', 'delete_task', 'responsible_task',
];

/** Subscribes the account's webhooks to its destination URL (which carries its secret); returns amoCRM's account id. */
export async function subscribe(ctx: AdapterContext<AmocrmSettings>, destination: string): Promise<number | undefined> {
  const amo = new Amo(ctx);
  await amo.request('POST', '/api/v4/webhooks', { body: { destination, settings: webhookSettings } });
  const account = await amo.request<{ id?: number }>('GET', '/api/v4/account');
  return typeof account.data?.id === 'number' ? account.data.id : undefined;
}

/** The uninstall hook's signature: HMAC-SHA256 of "<client_id>|<account_id>" with the client secret. */
export function uninstallSignature(app: Pick<AmoApp, 'clientId' | 'clientSecret'>, accountId: string): string {
  return createHmac('sha256', app.clientSecret).update(`${app.clientId}|${accountId}`).digest('hex');
}
