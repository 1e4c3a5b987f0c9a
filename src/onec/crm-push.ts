import { z } from 'zod';
import { onecSettings } from '../../adapters/onec/config.js';
import { jobId, type JobQueue } from '../queue/index.js';
import type { Intent, Store, AccountStore } from '../store/index.js';
import { enqueueOutbox } from '../runtime/outbox.js';
import { totalWarehouse } from '../../adapters/onec/records.js';

export interface PushReport {
  crmAccount?: string;
  prices: number;
  stock: number;
  /** 1C products with changes that no CRM product matches (by 1C id, article or barcode): never guessed. */
  unmatchedProducts: string[];
  unmatchedWarehouses: string[];
  skipped?: string;
}

const cursor = z.object({ at: z.string(), afterId: z.string() });
const pushAdapter = 'onec-crm';

export function enqueueCrmPush(queue: JobQueue, account: string): Promise<{ id: string }> {
  return queue.add('onec-crm-push', { account }, { id: jobId('onec-crm-push', account), replaceFailed: true });
}

/** 1C product id -> CRM product id: by the 1C id the CRM product keeps (XML_ID), then article, then barcode. */
async function matchProducts(onec: AccountStore, crm: AccountStore, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const one = (m: Map<string, string[]>, v: string | undefined) => (v && m.get(v)?.length === 1 ? m.get(v)![0] : undefined);
  const byOnec = await crm.lookup('products', 'onecId', ids);
  const rest = ids.filter((id) => !one(byOnec, id));
  for (const id of ids) if (one(byOnec, id)) out.set(id, one(byOnec, id)!);
  if (!rest.length) return out;
  const own = new Map<string, { article?: string; barcode?: string }>();
  for (const id of rest) {
    const p = await onec.get('products', id);
    if (p && !p.deleted) own.set(id, { article: p.record.article, barcode: p.record.barcode });
  }
  const articles = await crm.lookup('products', 'article', [...own.values()].flatMap((p) => (p.article ? [p.article] : [])));
  const barcodes = await crm.lookup('products', 'barcode', [...own.values()].flatMap((p) => (p.barcode ? [p.barcode] : [])));
  for (const [id, p] of own) {
    const found = one(articles, p.article) ?? one(barcodes, p.barcode);
    if (found) out.set(id, found);
  }
  return out;
}

/**
 * Sends to the CRM what changed in 1C since the last push: the prices of the configured price type and
 * the stock per warehouse (warehouses matched by name), as outbox intents, batched by the CRM adapter.
 * Intent keys carry the value, so the same value is never sent twice.
 */
export async function pushToCrm(deps: { store: Store; queue: JobQueue }, account: string): Promise<PushReport> {
  const report: PushReport = { prices: 0, stock: 0, unmatchedProducts: [], unmatchedWarehouses: [] };
  const acc = await deps.store.accounts.get(account);
  const settings = acc?.kind === 'onec' ? onecSettings.safeParse(acc.settings) : undefined;
  if (!settings?.success || !settings.data.crmAccount) return { ...report, skipped: 'no CRM account is set for this 1C account (crmAccount)' };
  const crmAcc = await deps.store.accounts.get(settings.data.crmAccount);
  if (!crmAcc || crmAcc.kind !== 'bitrix24') return { ...report, skipped: `the CRM account ${settings.data.crmAccount} is not a connected Bitrix24 portal` };
  report.crmAccount = crmAcc.id;
  const onec = deps.store.forAccount(account);
  const crm = deps.store.forAccount(crmAcc.id);

  const types = await onec.list('price_types', { limit: 1000 });
  const wanted = settings.data.crmPriceType;
  const type = wanted ? types.find((t) => t.externalId === wanted || t.name === wanted) : types.length === 1 ? types[0] : undefined;
  if (!type) return { ...report, skipped: `choose the 1C price type for the CRM price (crmPriceType): ${types.map((t) => t.name).join(', ')}` };

  const crmWarehouses = await crm.list('warehouses', { limit: 1000 });
  const onecWarehouses = new Map((await onec.list('warehouses', { limit: 1000 })).map((w) => [w.externalId, w.name]));
  const warehouseOf = (id: string) => crmWarehouses.find((w) => w.name === onecWarehouses.get(id))?.externalId;

  for (const entity of ['prices', 'stock'] as const) {
    let at = cursor.safeParse(await onec.cursor(pushAdapter, entity)).data ?? null;
    for (;;) {
      const page = await onec.changedSince(entity, at, 2000);
      if (!page.length) break;
      const live = page.filter((x) => !x.deleted);
      const matched = await matchProducts(onec, crm, [...new Set(live.map((x) => (x.record as { productId: string }).productId))]);
      const intents: Intent[] = [];
      for (const x of live) {
        const productId = (x.record as { productId: string }).productId;
        const crmProduct = matched.get(productId);
        if (!crmProduct) {
          if (!report.unmatchedProducts.includes(productId)) report.unmatchedProducts.push(productId);
          continue;
        }
        if (entity === 'prices') {
          const p = x.record as { priceType: string; amount: string; currency: string };
          if (p.priceType !== type.externalId) continue;
          intents.push({ key: `1c:price:${crmProduct}:${p.amount}:${p.currency}`, adapter: 'bitrix24', kind: 'price', payload: { productId: crmProduct, priceTypeId: '1', amount: p.amount, currency: p.currency } });
          report.prices += 1;
        } else {
          const s = x.record as { warehouseId: string; quantity: string };
          const warehouse = s.warehouseId === totalWarehouse ? undefined : warehouseOf(s.warehouseId);
          if (!warehouse) {
            const name = onecWarehouses.get(s.warehouseId) ?? s.warehouseId;
            if (!report.unmatchedWarehouses.includes(name)) report.unmatchedWarehouses.push(name);
            continue;
          }
          intents.push({ key: `1c:stock:${crmProduct}:${warehouse}:${s.quantity}`, adapter: 'bitrix24', kind: 'stock', payload: { productId: crmProduct, warehouseId: warehouse, quantity: s.quantity } });
          report.stock += 1;
        }
      }
      if (intents.length) await crm.outbox.add(intents);
      const last = page.at(-1)!;
      at = { at: last.syncedAt, afterId: last.record.externalId };
      await onec.applyPage({ adapter: pushAdapter, entity, records: [], cursor: at });
    }
  }
  if (report.prices + report.stock) await enqueueOutbox(deps.queue, crmAcc.id);
  return report;
}
