import { z } from 'zod';
import type { EntityName } from '../../src/model/index.js';

/** The CRM events svodka binds, and the entity each one touches. */
export const boundEvents: Record<string, { entity: EntityName; deleted: boolean }> = {};
for (const [name, entity] of [
  ['LEAD', 'leads'],
  ['DEAL', 'deals'],
  ['CONTACT', 'contacts'],
  ['COMPANY', 'companies'],
  ['ACTIVITY', 'activities'],
] as const) {
  boundEvents[`ONCRM${name}ADD`] = { entity, deleted: false };
  boundEvents[`ONCRM${name}UPDATE`] = { entity, deleted: false };
  boundEvents[`ONCRM${name}DELETE`] = { entity, deleted: true };
}
boundEvents.ONCRMDEALMOVETOCATEGORY = { entity: 'deals', deleted: false };

/** An event handler's form body (bracket notation, parsed by qs): only what svodka reads. */
const eventBody = z.object({
  event: z.string().min(1).max(100).transform((v) => v.toUpperCase()),
  data: z.object({ FIELDS: z.object({ ID: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(String) }).loose() }).loose().optional(),
  ts: z.string().regex(/^\d+$/).optional(),
  auth: z
    .object({
      application_token: z.string().min(1).max(200),
      member_id: z.string().max(100).optional(),
      domain: z.string().max(255).optional(),
    })
    .loose(),
});

export interface PortalEvent {
  name: string;
  /** The token the portal signed the event with; checked against the stored one before anything else. */
  token: string;
  memberId: string | undefined;
  /** What the event changed, when it is one svodka follows. */
  change: { entity: EntityName; id: string; deleted: boolean } | undefined;
  /** Same event, same object, same second: a replay. */
  dedupeKey: string;
}

/** Reads an event handler's body; a body that is not an event is refused with the reasons. */
export function parseEvent(body: unknown): { ok: true; event: PortalEvent } | { ok: false; issues: string[] } {
  const r = eventBody.safeParse(body);
  if (!r.success) return { ok: false, issues: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const e = r.data;
  const bound = boundEvents[e.event];
  const id = e.data?.FIELDS.ID;
  return {
    ok: true,
    event: {
      name: e.event,
      token: e.auth.application_token,
      memberId: e.auth.member_id,
      change: bound && id ? { ...bound, id } : undefined,
      dedupeKey: `${e.event}:${id ?? ''}:${e.ts ?? ''}`,
    },
  };
}
