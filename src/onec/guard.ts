import { onecSettings } from '../../adapters/onec/config.js';
import { priceId, totalWarehouse } from '../../adapters/onec/records.js';
import { enqueueOutbox } from '../runtime/outbox.js';
import type { JobQueue } from '../queue/index.js';
import type { AccountStore, Finding, Intent, Store } from '../store/index.js';

export const guardSource = 'onec-guard';

/** Compares exact decimal strings without floats: -1, 0 or 1. */
export function compareDecimal(a: string, b: string): number {
  const scale = (v: string) => {
    const [i, f = ''] = v.replace(/^-/, '').split('.');
    return { neg: v.startsWith('-'), i: i!, f };
  };
  const x = scale(a);
  const y = scale(b);
  const digits = Math.max(x.f.length, y.f.length);
  const big = (s: ReturnType<typeof scale>) => BigInt(`${s.neg ? '-' : ''}${s.i}${s.f.padEnd(digits, '0')}`);
  const d = big(x) - big(y);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

async function all<E extends 'deals' | 'deal_items' | 'stages'>(store: AccountStore, entity: E) {
  const out = [];
  for (let after = ''; ; ) {
    const page = await store.list(entity, { after, limit: 5000 });
    out.push(...page);
    if (page.length < 5000) return out;
    after = page.at(-1)!.externalId;
  }
}

/**
 * The deal guard: open deals of the CRM whose product rows carry a price below 1C's current one (of the
 * configured type) or more than 1C has in stock are findings of the CRM account; each new finding tells
 * the deal's manager once (comment or task, per the 1C account's setting). Findings that no longer hold
 * are resolved.
 */
export async function guardDeals(deps: { store: Store; queue: JobQueue }, onecAccount: string): Promise<{ findings: number; notified: number }> {
  const acc = await deps.store.accounts.get(onecAccount);
  const s = acc?.kind === 'onec' ? onecSettings.safeParse(acc.settings) : undefined;
  if (!s?.success || !s.data.crmAccount) return { findings: 0, notified: 0 };
  const onec = deps.store.forAccount(onecAccount);
  const crm = deps.store.forAccount(s.data.crmAccount);
  const types = await onec.list('price_types', { limit: 1000 });
  const type = s.data.crmPriceType ? types.find((t) => t.externalId === s.data.crmPriceType || t.name === s.data.crmPriceType) : types.length === 1 ? types[0] : undefined;

  const open = new Set((await all(crm, 'stages')).filter((st) => st.semantics === 'open').map((st) => st.externalId));
  const deals = new Map((await all(crm, 'deals')).filter((d) => open.has(d.stageId)).map((d) => [d.externalId, d]));
  const items = (await all(crm, 'deal_items')).filter((i) => deals.has(i.dealId) && i.productId);

  // CRM product -> 1C product, by the 1C id the CRM keeps, then article, then barcode.
  const crmProducts = new Map<string, string | undefined>();
  for (const id of new Set(items.map((i) => i.productId!))) {
    const p = (await crm.get('products', id))?.record;
    let onecId = p?.onecId && (await onec.get('products', p.onecId)) ? p.onecId : undefined;
    for (const [field, value] of [['article', p?.article], ['barcode', p?.barcode]] as const) {
      if (onecId || !value) continue;
      const m = (await onec.lookup('products', field, [value])).get(value);
      if (m?.length === 1) onecId = m[0];
    }
    crmProducts.set(id, onecId);
  }

  // What 1C holds now for a product: read once per product, however many rows name it.
  const holdings = new Map<string, Promise<{ price: { amount: string; currency: string } | undefined; available: number | undefined }>>();
  const holding = (product: string) => {
    let h = holdings.get(product);
    if (!h) {
      h = (async () => {
        const p = type && (await onec.get('prices', priceId(product, type.externalId)));
        const ids = [...(await onec.lookup('stock', 'productId', [product])).values()].flat();
        const stock = (await Promise.all(ids.map((r) => onec.get('stock', r)))).filter((r) => r && !r.deleted).map((r) => r!.record);
        const perWarehouse = stock.filter((r) => r.warehouseId !== totalWarehouse);
        const counted = perWarehouse.length ? perWarehouse : stock;
        return {
          price: p && !p.deleted ? p.record : undefined,
          available: ids.length ? counted.reduce((sum, r) => sum + Number(r.quantity), 0) : undefined,
        };
      })();
      holdings.set(product, h);
    }
    return h;
  };

  const found: Finding[] = [];
  for (const item of items) {
    const product = crmProducts.get(item.productId!);
    if (!product) continue;
    const deal = deals.get(item.dealId)!;
    const { price, available } = await holding(product);
    if (price && price.currency === item.currency && compareDecimal(item.price, price.amount) < 0) {
      found.push({
        key: `price_below:${deal.externalId}:${item.externalId}:${price.amount}`,
        kind: 'price_below',
        subjectId: deal.externalId,
        details: { dealId: deal.externalId, dealTitle: deal.title, product: item.name, price: item.price, current: price.amount, currency: item.currency, responsibleId: deal.responsibleId },
      });
    }
    if (available !== undefined && Number(item.quantity) > available) {
      found.push({
        key: `stock_short:${deal.externalId}:${item.externalId}`,
        kind: 'stock_short',
        subjectId: deal.externalId,
        details: { dealId: deal.externalId, dealTitle: deal.title, product: item.name, quantity: item.quantity, available: String(available), responsibleId: deal.responsibleId },
      });
    }
  }
  const fresh = new Set(await crm.findings.replace(guardSource, found));
  const intents: Intent[] = [];
  if (s.data.guardNotify !== 'none') {
    for (const f of found.filter((x) => fresh.has(x.key))) {
      const d = f.details as { dealId: string; product: string; price?: string; current?: string; currency?: string; quantity?: string; available?: string; responsibleId?: string };
      const text =
        f.kind === 'price_below'
          ? `Цена «${d.product}» в сделке ${d.price} ${d.currency} ниже текущей цены 1С ${d.current} ${d.currency}. / The deal's price is below the current 1C price.`
          : `«${d.product}»: в сделке ${d.quantity}, на складах 1С ${d.available}. / The deal needs more than 1C has in stock.`;
      intents.push(
        s.data.guardNotify === 'task' && d.responsibleId
          ? { key: `guard:${f.key}`, adapter: 'bitrix24', kind: 'task', payload: { title: `Проверить сделку: ${f.kind === 'price_below' ? 'цена ниже текущей' : 'не хватает остатка'}`, description: text, responsibleId: d.responsibleId, owner: { entity: 'deal', id: d.dealId } } }
          : { key: `guard:${f.key}`, adapter: 'bitrix24', kind: 'comment', payload: { entity: 'deal', id: d.dealId, text } },
      );
    }
  }
  if (intents.length) {
    await crm.outbox.add(intents);
    await enqueueOutbox(deps.queue, crm.account);
  }
  return { findings: found.length, notified: intents.length };
}

/** After a CRM account synced (deals and rows may have changed), the guard of every 1C account feeding it runs. */
export async function guardAfterSync(deps: { store: Store; queue: JobQueue }, crmAccount: string): Promise<void> {
  for (const a of await deps.store.accounts.list()) {
    if (a.kind !== 'onec' || a.status !== 'active') continue;
    const s = onecSettings.safeParse(a.settings);
    if (s.success && s.data.crmAccount === crmAccount) await guardDeals(deps, a.id);
  }
}
