import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SvodkaError, ValidationError, type AdapterContext, type WriteIntent } from '../../src/sdk/index.js';
import { Amo } from './client.js';
import type { AmocrmSettings } from './config.js';

type Ctx = AdapterContext<AmocrmSettings>;
const entity = z.enum(['deal', 'contact', 'company']);
const paths = { deal: 'leads', contact: 'contacts', company: 'companies' } as const;
const numericId = z.union([z.string().regex(/^\d+$/), z.int().positive()]).transform(Number);

/** The write-back kinds amoCRM accepts (same names and meanings as for Bitrix24, so plugins need not care). */
export const payloads = {
  field: z.object({ entity, id: numericId, field: z.string().regex(/^[A-Z0-9_]{1,40}$/), value: z.union([z.string().max(2000), z.number(), z.null()]), type: z.enum(['text', 'numeric']).default('text'), label: z.object({ ru: z.string(), en: z.string() }).optional() }),
  /** amoCRM tasks have one text: the description follows the title in it. */
  task: z.object({ title: z.string().min(1).max(2000), description: z.string().max(10_000).default(''), responsibleId: numericId, deadline: z.iso.datetime({ offset: true }).optional(), owner: z.object({ entity, id: numericId }).optional() }),
  comment: z.object({ entity, id: numericId, text: z.string().min(1).max(10_000) }),
  reassign: z.object({ entity, id: numericId, toUserId: numericId, withOpenActivities: z.boolean().default(true) }),
  price: z.object({ catalogId: numericId, productId: numericId, amount: z.string().regex(/^\d+(\.\d{1,2})?$/) }),
};
type Kind = keyof typeof payloads;

export const mark = (key: string): string => `svodka:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

/** Our custom fields per account and entity, by code, once looked up or created. */
const fieldIds = new Map<string, number>();

async function fieldId(ctx: Ctx, amo: Amo, f: z.infer<typeof payloads.field>): Promise<number> {
  const code = `SVODKA_${f.field}`;
  const key = `${ctx.config.baseUrl}|${f.entity}|${code}`;
  const known = fieldIds.get(key);
  if (known) return known;
  for await (const p of amo.pages(`/api/v4/${paths[f.entity]}/custom_fields`, 'custom_fields')) {
    for (const x of p.items) if (x.code === code) fieldIds.set(key, Number(x.id));
  }
  if (!fieldIds.has(key)) {
    const r = await amo.request<{ _embedded?: { custom_fields?: { id: number }[] } }>('POST', `/api/v4/${paths[f.entity]}/custom_fields`, {
      body: [{ name: f.label?.ru ?? `Сводка: ${f.field}`, type: f.type, code, sort: 500 }],
    });
    const created = r.data._embedded?.custom_fields?.[0]?.id;
    if (!created) throw new SvodkaError('amocrm_write_failed', `amoCRM did not create the field ${code}`);
    fieldIds.set(key, created);
  }
  return fieldIds.get(key)!;
}

function parse(intent: WriteIntent): { kind: Kind; p: unknown } {
  const schema = payloads[intent.kind as Kind];
  if (!schema) throw new ValidationError(`amocrm cannot write ${intent.kind}`);
  const r = schema.safeParse(intent.payload);
  if (!r.success) throw new ValidationError(`amocrm ${intent.kind} intent ${intent.key}`, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return { kind: intent.kind as Kind, p: r.data };
}

/** Already created by an earlier attempt (the mark is in its text)? */
async function exists(amo: Amo, kind: 'task' | 'comment', p: z.infer<typeof payloads.task> | z.infer<typeof payloads.comment>, m: string): Promise<boolean> {
  if (kind === 'task') {
    const t = p as z.infer<typeof payloads.task>;
    const query: Record<string, string | number> = { 'filter[responsible_user_id]': t.responsibleId };
    if (t.owner) query['filter[entity_id]'] = t.owner.id;
    for await (const page of amo.pages('/api/v4/tasks', 'tasks', query)) if (page.items.some((x) => String(x.text ?? '').includes(m))) return true;
    return false;
  }
  const c = p as z.infer<typeof payloads.comment>;
  for await (const page of amo.pages(`/api/v4/${paths[c.entity]}/${c.id}/notes`, 'notes')) {
    if (page.items.some((x) => String((x.params as { text?: string } | undefined)?.text ?? '').includes(m))) return true;
  }
  return false;
}

/**
 * Sends up to 50 intents: one request per kind (amoCRM takes arrays of up to 50). Retried creations
 * (tasks, notes) are looked up by their mark first, so a retry never writes twice; field values,
 * reassignments and prices are the same however often they are set.
 */
export async function writeBatch(ctx: Ctx, intents: readonly (WriteIntent & { attempts: number })[]): Promise<Map<string, Error>> {
  const failed = new Map<string, Error>();
  const amo = new Amo(ctx);
  const groups = new Map<string, { intent: WriteIntent; body: Record<string, unknown> }[]>();
  const add = (path: string, intent: WriteIntent, body: Record<string, unknown>) => groups.set(path, [...(groups.get(path) ?? []), { intent, body }]);
  for (const intent of intents) {
    try {
      const { kind, p } = parse(intent);
      const m = mark(intent.key);
      if ((kind === 'task' || kind === 'comment') && intent.attempts > 1 && (await exists(amo, kind, p as never, m))) continue;
      if (kind === 'field') {
        const f = p as z.infer<typeof payloads.field>;
        add(`/api/v4/${paths[f.entity]}`, intent, { id: f.id, custom_fields_values: [{ field_id: await fieldId(ctx, amo, f), values: [{ value: f.value ?? '' }] }] });
      } else if (kind === 'task') {
        const t = p as z.infer<typeof payloads.task>;
        const till = t.deadline ? Math.floor(Date.parse(t.deadline) / 1000) : Math.floor(Date.now() / 1000) + 86_400;
        add('/api/v4/tasks', intent, { text: `${[t.title, t.description].filter(Boolean).join('\n').slice(0, 2000)}\n[${m}]`, responsible_user_id: t.responsibleId, complete_till: till, ...(t.owner ? { entity_id: t.owner.id, entity_type: paths[t.owner.entity] } : {}) });
      } else if (kind === 'comment') {
        const c = p as z.infer<typeof payloads.comment>;
        add(`/api/v4/${paths[c.entity]}/notes`, intent, { entity_id: c.id, note_type: 'common', params: { text: `${c.text}\n— Сводка [${m}]` } });
      } else if (kind === 'reassign') {
        const r = p as z.infer<typeof payloads.reassign>;
        add(`/api/v4/${paths[r.entity]}`, intent, { id: r.id, responsible_user_id: r.toUserId });
        if (r.withOpenActivities) {
          for await (const page of amo.pages('/api/v4/tasks', 'tasks', { 'filter[entity_id]': r.id, 'filter[entity_type]': paths[r.entity], 'filter[is_completed]': 0 })) {
            for (const t of page.items) if (Number(t.responsible_user_id) !== r.toUserId) add('/api/v4/tasks', intent, { id: Number(t.id), responsible_user_id: r.toUserId });
          }
        }
      } else {
        const pr = p as z.infer<typeof payloads.price>;
        add(`/api/v4/catalogs/${pr.catalogId}/elements`, intent, { id: pr.productId, custom_fields_values: [{ field_code: 'PRICE', values: [{ value: Number(pr.amount) }] }] });
      }
    } catch (e) {
      failed.set(intent.key, e as Error);
    }
  }
  for (const [path, rows] of groups) {
    // New tasks and notes are created (POST); rows with an id are changes (PATCH). Up to 50 per request.
    for (const method of ['POST', 'PATCH'] as const) {
      const these = rows.filter((r) => (method === 'PATCH') === ('id' in r.body));
      for (let i = 0; i < these.length; i += 50) {
        const chunk = these.slice(i, i + 50);
        try {
          await amo.request(method, path, { body: chunk.map((r) => r.body) });
        } catch (e) {
          for (const r of chunk) failed.set(r.intent.key, e as Error);
        }
      }
    }
  }
  return failed;
}
