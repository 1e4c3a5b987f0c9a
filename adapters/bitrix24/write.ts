import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SvodkaError, ValidationError, type AdapterContext, type WriteIntent } from '../../src/sdk/index.js';
import { Portal, maxBatch, type Params } from './client.js';
import type { Bitrix24Settings } from './config.js';

type Ctx = AdapterContext<Bitrix24Settings>;

const entityTypes = { lead: 1, deal: 2, contact: 3, company: 4 } as const;
const crmEntity = z.enum(['lead', 'deal', 'contact', 'company']);
const numericId = z.union([z.string().regex(/^\d+$/), z.int().positive()]).transform(String);

/** The write-back kinds Bitrix24 accepts, and what each payload holds. */
export const payloads = {
  /** A value in one of our user fields, UF_CRM_SVODKA_<FIELD> (created when missing). */
  field: z.object({
    entity: crmEntity,
    id: numericId,
    // Bitrix24 field names are at most 20 characters: "UF_CRM_SVODKA_" leaves 6.
    field: z.string().regex(/^[A-Z0-9]{1,6}$/, 'up to 6 capital letters or digits'),
    value: z.union([z.string().max(2000), z.number(), z.null()]),
    type: z.enum(['string', 'double']).default('string'),
    label: z.object({ ru: z.string(), en: z.string() }).optional(),
  }),
  task: z.object({
    title: z.string().min(1).max(250),
    description: z.string().max(10_000).default(''),
    responsibleId: numericId,
    deadline: z.iso.datetime({ offset: true }).optional(),
    owner: z.object({ entity: crmEntity, id: numericId }).optional(),
  }),
  comment: z.object({ entity: crmEntity, id: numericId, text: z.string().min(1).max(10_000) }),
  /** A new responsible; the record's open activities go along (as Bitrix24's own reassignment does). */
  reassign: z.object({ entity: crmEntity, id: numericId, toUserId: numericId, withOpenActivities: z.boolean().default(true) }),
  price: z.object({
    productId: numericId,
    priceTypeId: numericId,
    amount: z.string().regex(/^\d+(\.\d{1,2})?$/, 'a price with up to 2 decimals'),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  /** The stock of a product on a warehouse, set to this quantity (through a stock document, as Bitrix24 requires). */
  stock: z.object({
    productId: numericId,
    warehouseId: numericId,
    quantity: z.string().regex(/^-?\d+(\.\d+)?$/, 'an exact quantity'),
  }),
};
export type WriteKind = keyof typeof payloads;

/** A short fingerprint of the intent key, left in what we create so that a retry can find it. */
export const mark = (key: string): string => `svodka:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

export const ufName = (field: string): string => `UF_CRM_SVODKA_${field}`;
/** UF_CRM_SVODKA_SCORE -> ufCrmSvodkaScore, as crm.item names user fields. */
export const ufCamel = (field: string): string =>
  `ufCrmSvodka${field.charAt(0)}${field.slice(1).toLowerCase()}`;

function parse(intent: WriteIntent): { kind: WriteKind; p: z.infer<(typeof payloads)[WriteKind]> } {
  const schema = payloads[intent.kind as WriteKind];
  if (!schema) throw new ValidationError(`bitrix24 cannot write ${intent.kind}`);
  const r = schema.safeParse(intent.payload);
  if (!r.success) throw new ValidationError(`bitrix24 ${intent.kind} intent ${intent.key}`, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return { kind: intent.kind as WriteKind, p: r.data };
}

/** User fields already known to exist, per portal, for this process. */
const knownFields = new Map<string, Set<string>>();

async function ensureFields(ctx: Ctx, portal: Portal, wanted: z.infer<typeof payloads.field>[]): Promise<void> {
  const known = knownFields.get(ctx.config.portal) ?? new Set<string>();
  knownFields.set(ctx.config.portal, known);
  const missing = wanted.filter((w) => !known.has(`${w.entity}:${w.field}`));
  for (const entity of new Set(missing.map((m) => m.entity))) {
    const list = await portal.call<{ FIELD_NAME: string }[]>(`crm.${entity}.userfield.list`, { filter: {} });
    for (const f of list.result) if (f.FIELD_NAME.startsWith('UF_CRM_SVODKA_')) known.add(`${entity}:${f.FIELD_NAME.slice(14)}`);
  }
  for (const w of missing) {
    const k = `${w.entity}:${w.field}`;
    if (known.has(k)) continue;
    const label = w.label ?? { ru: `Сводка: ${w.field}`, en: `Svodka: ${w.field}` };
    await portal.call(`crm.${w.entity}.userfield.add`, {
      fields: { FIELD_NAME: `SVODKA_${w.field}`, USER_TYPE_ID: w.type, EDIT_FORM_LABEL: label, LIST_COLUMN_LABEL: label, XML_ID: `SVODKA_${w.field}` },
    });
    known.add(k);
  }
}

/** Already created by an earlier attempt of the same intent (a crash between sending and marking done)? */
async function alreadyDone(portal: Portal, intent: WriteIntent, kind: WriteKind, p: unknown): Promise<boolean> {
  const m = mark(intent.key);
  if (kind === 'comment') {
    const c = p as z.infer<typeof payloads.comment>;
    const r = await portal.call<{ COMMENT?: string }[]>('crm.timeline.comment.list', { filter: { ENTITY_ID: c.id, ENTITY_TYPE: c.entity } });
    return r.result.some((x) => (x.COMMENT ?? '').includes(m));
  }
  if (kind === 'task') {
    const t = p as z.infer<typeof payloads.task>;
    const r = await portal.call<{ tasks?: { description?: string }[] }>('tasks.task.list', {
      filter: { TITLE: t.title, RESPONSIBLE_ID: t.responsibleId },
      select: ['ID', 'TITLE', 'DESCRIPTION'],
    });
    return (r.result.tasks ?? []).some((x) => (x.description ?? '').includes(m));
  }
  return false;
}

/** The one command an intent becomes, or null for intents that take several steps (reassign). */
function command(intent: WriteIntent, kind: WriteKind, p: unknown): [string, Params] | null {
  const m = mark(intent.key);
  switch (kind) {
    case 'field': {
      const f = p as z.infer<typeof payloads.field>;
      return ['crm.item.update', { entityTypeId: entityTypes[f.entity], id: f.id, fields: { [ufCamel(f.field)]: f.value ?? '' } }];
    }
    case 'task': {
      const t = p as z.infer<typeof payloads.task>;
      const owner = t.owner ? { UF_CRM_TASK: [`${{ lead: 'L', deal: 'D', contact: 'C', company: 'CO' }[t.owner.entity]}_${t.owner.id}`] } : {};
      return ['tasks.task.add', { fields: { TITLE: t.title, DESCRIPTION: `${t.description}\n\n[${m}]`.trim(), RESPONSIBLE_ID: t.responsibleId, ...(t.deadline ? { DEADLINE: t.deadline } : {}), ...owner } }];
    }
    case 'comment': {
      const c = p as z.infer<typeof payloads.comment>;
      return ['crm.timeline.comment.add', { fields: { ENTITY_ID: c.id, ENTITY_TYPE: c.entity, COMMENT: `${c.text}\n— Сводка [${m}]` } }];
    }
    case 'price': {
      const r = p as z.infer<typeof payloads.price>;
      return ['catalog.price.add', { fields: { productId: r.productId, catalogGroupId: r.priceTypeId, price: r.amount, currency: r.currency } }];
    }
    default:
      return null;
  }
}

type Reassign = { key: string; p: z.infer<typeof payloads.reassign> };

/**
 * Reassignments packed in batches: one batch of updates for up to 50 records, one of open-activity
 * lists, then their activities' updates 50 at a time. At a portal's 2 requests/s, reassigning one by one
 * (three calls each) took minutes for a hundred records. Errors are the intent's own.
 */
async function reassignAll(portal: Portal, items: readonly Reassign[], failed: Map<string, Error>): Promise<void> {
  const fail = (key: string, what: string, e: { code: string; message: string }) =>
    failed.set(key, new SvodkaError('bitrix24_write_failed', `Bitrix24 ${what}: ${e.code} ${e.message}`));
  for (let i = 0; i < items.length; i += maxBatch) {
    const chunk = items.slice(i, i + maxBatch);
    const updated = await portal.batch(
      Object.fromEntries(chunk.map(({ p }, k) => [`u${k}`, ['crm.item.update', { entityTypeId: entityTypes[p.entity], id: p.id, fields: { assignedById: p.toUserId } }]])),
    );
    const listed = chunk.flatMap((x, k) => (updated.errors[`u${k}`] ? (fail(x.key, 'crm.item.update', updated.errors[`u${k}`]!), []) : x.p.withOpenActivities ? [x] : []));
    if (!listed.length) continue;
    const lists = await portal.batch(
      Object.fromEntries(listed.map(({ p }, k) => [`l${k}`, ['crm.activity.list', { filter: { OWNER_TYPE_ID: entityTypes[p.entity], OWNER_ID: p.id, COMPLETED: 'N' }, select: ['ID', 'RESPONSIBLE_ID'] }]])),
    );
    const moving: { key: string; id: string; to: string }[] = [];
    listed.forEach((x, k) => {
      const e = lists.errors[`l${k}`];
      if (e) return void fail(x.key, 'crm.activity.list', e);
      for (const a of (lists.results[`l${k}`]?.result ?? []) as { ID: string; RESPONSIBLE_ID: string }[]) {
        if (String(a.RESPONSIBLE_ID) !== x.p.toUserId) moving.push({ key: x.key, id: a.ID, to: x.p.toUserId });
      }
    });
    for (let j = 0; j < moving.length; j += maxBatch) {
      const part = moving.slice(j, j + maxBatch);
      const b = await portal.batch(Object.fromEntries(part.map((a, k) => [`a${k}`, ['crm.activity.update', { id: a.id, fields: { RESPONSIBLE_ID: a.to } }]])));
      part.forEach((a, k) => {
        const e = b.errors[`a${k}`];
        if (e && !failed.has(a.key)) fail(a.key, 'crm.activity.update', e);
      });
    }
  }
}

/**
 * Sets stock to a quantity: the difference from what the portal holds now goes in an adjustment (S) or
 * write-off (D) document, which is then conducted. Reading the current stock first makes a repeat a
 * no-op: the second time the difference is zero and no document is made.
 */
async function setStock(portal: Portal, p: z.infer<typeof payloads.stock>): Promise<void> {
  const now = await portal.call<{ storeProducts?: { amount?: number | string }[] }>('catalog.storeproduct.list', {
    select: ['id', 'productId', 'storeId', 'amount'],
    filter: { productId: p.productId, storeId: p.warehouseId },
  });
  const current = Number(now.result.storeProducts?.[0]?.amount ?? 0);
  const delta = Math.round((Number(p.quantity) - current) * 1000) / 1000;
  if (delta === 0) return;
  const doc = await portal.call<{ document: { id: number } }>('catalog.document.add', {
    fields: { docType: delta > 0 ? 'S' : 'D', currency: 'RUB', responsibleId: 1 },
  });
  const id = doc.result.document.id;
  await portal.call('catalog.document.element.add', {
    fields: { docId: id, elementId: p.productId, amount: Math.abs(delta), ...(delta > 0 ? { storeTo: p.warehouseId } : { storeFrom: p.warehouseId }) },
  });
  await portal.call('catalog.document.conduct', { id });
}

/** A price is set in place when the product has one of that type, added otherwise: repeating it changes nothing. */
async function priceCommand(portal: Portal, cmd: [string, Params], p: z.infer<typeof payloads.price>): Promise<[string, Params]> {
  const r = await portal.call<{ prices?: { id: number }[] }>('catalog.price.list', {
    select: ['id', 'productId', 'catalogGroupId'],
    filter: { productId: p.productId, catalogGroupId: p.priceTypeId },
  });
  const existing = r.result.prices?.[0];
  return existing ? ['catalog.price.update', { id: existing.id, fields: { price: p.amount, currency: p.currency } }] : cmd;
}

/**
 * Sends up to 50 intents, packed into one batch call where each is one command. Returns the error of
 * each intent that failed (absent: done). Retried intents that create things are looked up first by the
 * mark they leave, so a retry never writes twice.
 */
export async function writeBatch(ctx: Ctx, intents: readonly (WriteIntent & { attempts?: number })[]): Promise<Map<string, Error>> {
  const failed = new Map<string, Error>();
  const portal = await Portal.open(ctx);
  const parsed: { intent: WriteIntent; kind: WriteKind; p: unknown }[] = [];
  for (const intent of intents) {
    try {
      parsed.push({ intent, ...parse(intent) });
    } catch (e) {
      failed.set(intent.key, e as Error);
    }
  }
  await ensureFields(ctx, portal, parsed.filter((x) => x.kind === 'field').map((x) => x.p as z.infer<typeof payloads.field>));
  const cmds: Record<string, [string, Params]> = {};
  const byCmd = new Map<string, string>();
  const reassigns: Reassign[] = [];
  for (const [i, x] of parsed.entries()) {
    try {
      if (x.kind === 'reassign') {
        reassigns.push({ key: x.intent.key, p: x.p as z.infer<typeof payloads.reassign> });
        continue;
      }
      if (x.kind === 'stock') {
        await setStock(portal, x.p as z.infer<typeof payloads.stock>);
        continue;
      }
      // A first attempt cannot have been sent before; a later one may have been, and is looked up.
      const attempts = (x.intent as WriteIntent & { attempts?: number }).attempts ?? 1;
      if (attempts > 1 && (await alreadyDone(portal, x.intent, x.kind, x.p))) continue;
      let cmd = command(x.intent, x.kind, x.p)!;
      if (x.kind === 'price') cmd = await priceCommand(portal, cmd, x.p as z.infer<typeof payloads.price>);
      cmds[`w${i}`] = cmd;
      byCmd.set(`w${i}`, x.intent.key);
    } catch (e) {
      failed.set(x.intent.key, e as Error);
    }
  }
  try {
    await reassignAll(portal, reassigns, failed);
  } catch (e) {
    for (const r of reassigns) if (!failed.has(r.key)) failed.set(r.key, e as Error);
  }
  if (byCmd.size) {
    const b = await portal.batch(cmds);
    for (const [k, key] of byCmd) {
      const e = b.errors[k];
      if (e) failed.set(key, new SvodkaError('bitrix24_write_failed', `Bitrix24 ${cmds[k]![0]}: ${e.code} ${e.message}`));
    }
  }
  return failed;
}
