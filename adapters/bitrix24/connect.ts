import { ValidationError } from '../../src/sdk/index.js';
import { bitrix24Settings, parseWebhookUrl, type Bitrix24Settings, type Credentials } from './config.js';

export interface NewAccount {
  id: string;
  name: string;
  settings: Bitrix24Settings;
  secrets: Credentials;
}

/** Account ids of portals: `b24-` and the host (port kept), in the account id alphabet. */
export function portalAccountId(origin: string): string {
  const u = new URL(origin);
  return `b24-${u.host.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}`.slice(0, 100);
}

/** What a portal connected by its inbound webhook URL is stored as; the key goes to the sealed secrets. */
export function webhookAccount(
  url: string,
  options: { perSecond?: number; burst?: number; eventsToken?: string } = {},
): NewAccount {
  let hook: ReturnType<typeof parseWebhookUrl>;
  try {
    hook = parseWebhookUrl(url);
  } catch (e) {
    throw new ValidationError((e as Error).message);
  }
  const { eventsToken, ...plan } = options;
  const settings = bitrix24Settings.parse({ portal: hook.portal, auth: 'webhook', ...plan });
  return {
    id: portalAccountId(hook.portal),
    name: new URL(hook.portal).host,
    settings,
    secrets: { kind: 'webhook', userId: hook.userId, secret: hook.secret, ...(eventsToken ? { applicationToken: eventsToken } : {}) },
  };
}
