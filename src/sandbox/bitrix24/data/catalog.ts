import type { Rng } from '../rng.js';
import { Table } from '../table.js';
import * as n from '../names.js';
import type { Price, Product, Store, StoreProduct } from './types.js';

export const CATALOG_IBLOCK_ID = 25;
const DAY = 86_400_000;

export function buildCatalog(rng: Rng, anchor: number, productCount: number, storeCount: number) {
  const products = new Table<Product>();
  const prices = new Table<Price>();
  const stores = new Table<Store>();
  const storeProducts = new Table<StoreProduct>();
  for (let i = 1; i <= storeCount; i++) {
    stores.add({ id: i, title: n.storeNames[(i - 1) % n.storeNames.length] + (i > n.storeNames.length ? ` ${i}` : ''), active: 'Y', address: `г. Москва, ул. Складская, д. ${i}`, sort: 100 * i, dateCreate: anchor - 700 * DAY });
  }
  for (let i = 1; i <= productCount; i++) {
    const base = rng.pick(n.productNames);
    const created = anchor - rng.int(100, 700) * DAY;
    products.add({ id: i, iblockId: CATALOG_IBLOCK_ID, name: `${base} ${String.fromCharCode(65 + rng.int(0, 25))}-${rng.int(100, 999)}`, active: 'Y', code: `product_${i}`, measure: 9, dateCreate: created, timestampX: created + rng.int(0, 90) * DAY });
    prices.add({ id: i, productId: i, catalogGroupId: 1, price: Math.round((500 + rng.next() * 150000) * 100) / 100, currency: 'RUB', timestampX: created });
    for (const s of stores.rows) {
      storeProducts.add({ id: storeProducts.nextId, productId: i, storeId: s.id, amount: rng.int(0, 200), quantityReserved: rng.chance(0.2) ? rng.int(1, 5) : 0 });
    }
  }
  return { products, prices, stores, storeProducts };
}
