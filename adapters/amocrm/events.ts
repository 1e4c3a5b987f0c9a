import { z } from 'zod';
import type { EntityName } from '../../src/model/index.js';

/** Which webhook sections svodka follows, and the entity each touches. */
const sections: Record<string, EntityName> = { leads: 'deals', contacts: 'contacts', companies: 'companies', task: 'activities', tasks: 'activities' };
const deleting = new Set(['delete']);

const item = z.looseObject({
  id: z.union([z.string().regex(/^\d+$/), z.number().int()]).transform(String),
  last_modified: z.union([z.string(), z.number()]).optional(),
  updated_at: z.union([z.string(), z.number()]).optional(),
  /** Contacts and companies both come under contacts[...]; `type` tells them apart. */
  type: z.string().optional(),
});

export interface AmoChange {
  entity: EntityName;
  id: string;
  deleted: boolean;
  /** Same object, same action, same modification time: a replay. */
  dedupeKey: string;
}

/**
 * Reads a webhook body (form-encoded, parsed by qs: `leads[status][0][id]`, `account[subdomain]`, ...).
 * amoCRM signs nothing: the caller has already checked the secret in the URL; what changed is re-read
 * through the API before anything is stored.
 */
export function parseWebhook(body: unknown): { ok: true; changes: AmoChange[]; subdomain?: string } | { ok: false; issue: string } {
  if (!body || typeof body !== 'object') return { ok: false, issue: 'not a form body' };
  const b = body as Record<string, unknown>;
  const changes: AmoChange[] = [];
  for (const [section, entity] of Object.entries(sections)) {
    const byAction = b[section];
    if (!byAction || typeof byAction !== 'object') continue;
    for (const [action, list] of Object.entries(byAction as Record<string, unknown>)) {
      const rows = Array.isArray(list) ? list : list && typeof list === 'object' ? Object.values(list) : [];
      for (const row of rows) {
        const r = item.safeParse(row);
        if (!r.success) return { ok: false, issue: `${section}[${action}]: an item without a numeric id` };
        const at = String(r.data.last_modified ?? r.data.updated_at ?? '');
        const which = section === 'contacts' && r.data.type === 'company' ? 'companies' : entity;
        changes.push({ entity: which, id: r.data.id, deleted: deleting.has(action), dedupeKey: `${section}:${action}:${r.data.id}:${at}` });
      }
    }
  }
  const account = b.account as { subdomain?: unknown } | undefined;
  return { ok: true, changes, ...(typeof account?.subdomain === 'string' ? { subdomain: account.subdomain } : {}) };
}
