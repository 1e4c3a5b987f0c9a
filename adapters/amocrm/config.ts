import { z } from 'zod';

/** An account's API origin: https://<subdomain>.amocrm.ru (or .amocrm.com, .kommo.com); http only on loopback (the sandbox). */
export const amoOrigin = z
  .url({ error: 'expected the account address, such as https://example.amocrm.ru' })
  .transform((v) => new URL(v))
  .refine((u) => u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(u.hostname)), 'https is required')
  .refine((u) => !u.username && !u.password && (u.pathname === '/' || u.pathname === ''), 'a bare origin, no path or credentials')
  .transform((u) => u.origin);

export const amocrmSettings = z.object({
  baseUrl: amoOrigin,
  /** Requests per second for this integration (amoCRM allows 7). */
  perSecond: z.number().positive().max(7).default(7),
  /** amoCRM's own account id (installs: the uninstall hook names the account by it). */
  amoAccountId: z.int().positive().optional(),
});
export type AmocrmSettings = z.output<typeof amocrmSettings>;

const token = z.string().min(16).max(4000);

/** Sealed per account. */
export const amoCredentials = z.discriminatedUnion('kind', [
  /** A private integration's long-lived token (self-hosted users): never refreshed. */
  z.object({ kind: z.literal('long-lived'), token, webhookSecret: z.string().min(16).optional() }),
  z.object({
    kind: z.literal('oauth'),
    accessToken: token,
    refreshToken: token,
    /** Unix seconds. */
    expires: z.int().positive(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    redirectUri: z.url(),
    refreshedAt: z.int().positive().optional(),
    webhookSecret: z.string().min(16).optional(),
  }),
]);
export type AmoCredentials = z.output<typeof amoCredentials>;
