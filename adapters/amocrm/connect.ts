import { randomBytes } from 'node:crypto';
import { ValidationError } from '../../src/sdk/index.js';
import { amocrmSettings, type AmoCredentials, type AmocrmSettings } from './config.js';

export interface NewAmoAccount {
  id: string;
  name: string;
  settings: AmocrmSettings;
  secrets: AmoCredentials;
}

/** Account ids of amoCRM accounts: `amo-` and the host (port kept), in the account id alphabet. */
export function amoAccountId(origin: string): string {
  const u = new URL(origin);
  return `amo-${u.host.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}`.slice(0, 100);
}

/** An account connected with a private integration's long-lived token (self-hosted users). */
export function tokenAccount(baseUrl: string, token: string): NewAmoAccount {
  const settings = amocrmSettings.safeParse({ baseUrl });
  if (!settings.success) throw new ValidationError('not an amoCRM account address', settings.error.issues.map((i) => i.message));
  if (token.trim().length < 16) throw new ValidationError('the token is too short to be an amoCRM long-lived token');
  return {
    id: amoAccountId(settings.data.baseUrl),
    name: new URL(settings.data.baseUrl).host,
    settings: settings.data,
    secrets: { kind: 'long-lived', token: token.trim(), webhookSecret: randomBytes(24).toString('hex') },
  };
}
