import { z } from 'zod';

/** The settings of a 1C base connected through the exchange (no secrets: the password is sealed). */
export const onecSettings = z.object({
  /** The login 1C sends (HTTP Basic). */
  login: z.string().regex(/^[a-z0-9._-]{3,64}$/i),
  /** The CRM account whose catalog gets 1C's prices and stock, when there is one. */
  crmAccount: z.string().optional(),
  /** The 1C price type (id or name) that feeds the CRM price. */
  crmPriceType: z.string().optional(),
  /** How the manager of a deal sold below the current price or short of stock is told, once: a timeline comment, a task, or not at all. */
  guardNotify: z.enum(['comment', 'task', 'none']).default('comment'),
});
export type OnecSettings = z.output<typeof onecSettings>;

export const onecCredentials = z.object({
  /** HTTP Basic password of the exchange. */
  password: z.string().min(12),
  /** Signs the JSON pushes of 1C HTTP services (HMAC-SHA256). */
  hmacKey: z.string().min(32).optional(),
});
