import { z } from 'zod';
import { normaliseCurrency, priceId, stockId } from '../../adapters/onec/records.js';
import { ValidationError } from '../sdk/errors.js';
import type { AccountStore } from '../store/index.js';

const decimal = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.')))
  .refine((v) => /^-?\d+(\.\d+)?$/.test(v), 'an exact decimal such as "1234.50"');

/** What a 1C HTTP service pushes: prices and stock, products named by 1C id or article. */
export const pushBody = z.object({
  prices: z
    .array(z.object({ product: z.string().min(1).max(200), priceType: z.string().min(1).max(200), amount: decimal, currency: z.string().min(1).max(10) }))
    .max(100_000)
    .default([]),
  stock: z
    .array(z.object({ product: z.string().min(1).max(200), warehouse: z.string().min(1).max(200), quantity: decimal }))
    .max(100_000)
    .default([]),
});
export type PushBody = z.output<typeof pushBody>;

/** Resolves names to ids: by id first, then by the given field (article, name); one match or none. */
async function resolver(store: AccountStore, entity: 'products' | 'price_types' | 'warehouses', field: 'article' | 'name', given: string[]) {
  const unique = [...new Set(given)];
  const byId = new Set((await store.lookup(entity, 'externalId', unique)).keys());
  const ids = new Map<string, string>();
  for (const v of unique) if (byId.has(v)) ids.set(v, v);
  const rest = unique.filter((v) => !ids.has(v));
  const byField = await store.lookup(entity, field, rest);
  const problems: string[] = [];
  for (const v of rest) {
    const found = byField.get(v) ?? [];
    if (found.length === 1) ids.set(v, found[0]!);
    else problems.push(found.length ? `${v} (неоднозначно / ambiguous: ${found.length})` : v);
  }
  return { ids, problems };
}

/**
 * Applies a push from a 1C HTTP service, all or nothing: every product, price type and warehouse must
 * be known (by 1C id, or by article / name when unambiguous); otherwise nothing is written and the
 * answer lists what was not found. Never guessed.
 */
export async function applyPush(store: AccountStore, body: PushBody): Promise<{ prices: number; stock: number }> {
  const products = await resolver(store, 'products', 'article', [...body.prices.map((p) => p.product), ...body.stock.map((s) => s.product)]);
  const types = await resolver(store, 'price_types', 'name', body.prices.map((p) => p.priceType));
  const stores = await resolver(store, 'warehouses', 'name', body.stock.map((s) => s.warehouse));
  const issues = [
    ...products.problems.map((p) => `товар / product ${p}`),
    ...types.problems.map((p) => `тип цены / price type ${p}`),
    ...stores.problems.map((p) => `склад / warehouse ${p}`),
  ];
  if (issues.length) throw new ValidationError('не найдено в данных 1С / not found in the 1C data; nothing was applied', issues);
  const prices = body.prices.map((p) => {
    const product = products.ids.get(p.product)!;
    const type = types.ids.get(p.priceType)!;
    return { externalId: priceId(product, type), productId: product, priceType: type, amount: p.amount, currency: normaliseCurrency(p.currency) };
  });
  const stock = body.stock.map((s) => {
    const product = products.ids.get(s.product)!;
    const warehouse = stores.ids.get(s.warehouse)!;
    return { externalId: stockId(product, warehouse), productId: product, warehouseId: warehouse, quantity: s.quantity };
  });
  await store.together(async (w) => {
    if (prices.length) await w.upsert('prices', prices);
    if (stock.length) await w.upsert('stock', stock);
  });
  return { prices: prices.length, stock: stock.length };
}
