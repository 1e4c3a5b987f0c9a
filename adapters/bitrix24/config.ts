import { z } from 'zod';

/** A portal's origin: https only, no path, no credentials in it. */
export const portalOrigin = z
  .url({ protocol: /^https$/, error: 'expected an https:// portal address' })
  .transform((v) => new URL(v))
  .refine((u) => !u.username && !u.password, 'the portal address must not carry credentials')
  .transform((u) => u.origin);

/** The settings of one connected portal (no secrets: those are kept sealed, see `credentials`). */
export const bitrix24Settings = z.object({
  portal: portalOrigin,
  /** How the portal was connected: an inbound webhook, or the Marketplace app (OAuth). */
  auth: z.enum(['webhook', 'oauth']),
  /** The member_id of an installed app; webhook-connected portals have none. */
  memberId: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  /** The leaky bucket of the portal's plan: 2 requests/s and 50 at once by default, 5/s and 250 on Enterprise. */
  perSecond: z.number().positive().max(50).default(2),
  burst: z.int().min(1).max(1000).default(50),
});
export type Bitrix24Settings = z.output<typeof bitrix24Settings>;

const token = z.string().min(8).max(200);

/** What is kept sealed per portal. */
export const credentials = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('webhook'),
    userId: z.int().positive(),
    secret: z.string().regex(/^[a-z0-9]{8,64}$/i, 'a webhook key'),
    /** The token outbound events carry (`auth[application_token]`), when events are set up. */
    applicationToken: z.string().optional(),
  }),
  z.object({
    kind: z.literal('oauth'),
    accessToken: token,
    refreshToken: token,
    /** Unix seconds when the access token expires. */
    expires: z.int().positive(),
    /** Unix seconds of the last refresh: a token this fresh is not refreshed again (see client.ts). */
    refreshedAt: z.int().positive().optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** The OAuth server the portal named (`server_endpoint`), never a hard-coded host. */
    serverEndpoint: z.url({ protocol: /^https$/ }),
    applicationToken: z.string().optional(),
  }),
]);
export type Credentials = z.output<typeof credentials>;

/** Splits an inbound webhook URL (https://portal/rest/<user>/<key>/) into the settings and the secret. */
export function parseWebhookUrl(url: string): { portal: string; userId: number; secret: string } {
  const u = new URL(url);
  const m = /^\/rest\/(\d+)\/([a-z0-9]+)\/?$/i.exec(u.pathname);
  if (u.protocol !== 'https:' || !m || u.search || u.username || u.password) {
    throw new Error('expected an inbound webhook URL like https://<portal>/rest/<user id>/<key>/');
  }
  return { portal: u.origin, userId: Number(m[1]), secret: m[2]! };
}
