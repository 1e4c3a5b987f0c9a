import { cost, type Handler, type Params } from '../context.js';
import type { Price, Product, Store, StoreProduct } from '../data/types.js';
import { errors } from '../errors.js';
import { listPage, pick, type Field, type Fields } from '../query.js';
import type { Table } from '../table.js';
import { iso, nowS } from '../time.js';

const f = <R>(kind: Field<R>['kind'], get: (r: R) => unknown): Field<R> => ({ kind, get });

/** catalog.* list methods share one shape: camelCase filter/order/select, the rows under a named key. */
function lister<R extends { id: number }>(key: string, table: (call: Parameters<Handler>[1]) => Table<R>, fields: Fields<R>, wire: (r: R) => Record<string, unknown>): Handler {
  return (p, call) => {
    const page = listPage(table(call), fields, { filter: p.filter, order: p.order, start: p.start, idField: 'id', strict: true });
    const rows = page.rows.map((r) => pick(wire(r), p.select, ['id']));
    return { result: { [key]: rows }, total: page.total, next: page.next, cost: cost(rows.length, page.scanned) };
  };
}

const productFields: Fields<Product> = {
  id: f('int', (r) => r.id),
  iblockId: f('int', (r) => r.iblockId),
  name: f('string', (r) => r.name),
  active: f('yn', (r) => r.active),
  code: f('string', (r) => r.code),
  dateCreate: f('date', (r) => r.dateCreate),
  timestampX: f('date', (r) => r.timestampX),
};
const priceFields: Fields<Price> = {
  id: f('int', (r) => r.id),
  productId: f('int', (r) => r.productId),
  catalogGroupId: f('int', (r) => r.catalogGroupId),
  price: f('float', (r) => r.price),
  currency: f('string', (r) => r.currency),
  timestampX: f('date', (r) => r.timestampX),
};
const storeFields: Fields<Store> = {
  id: f('int', (r) => r.id),
  title: f('string', (r) => r.title),
  active: f('yn', (r) => r.active),
  sort: f('int', (r) => r.sort),
};
const stockFields: Fields<StoreProduct> = {
  id: f('int', (r) => r.id),
  productId: f('int', (r) => r.productId),
  storeId: f('int', (r) => r.storeId),
  amount: f('float', (r) => r.amount),
};

const priceWire = (r: Price) => ({ id: r.id, catalogGroupId: r.catalogGroupId, currency: r.currency, extraId: null, price: r.price, priceScale: r.price, productId: r.productId, quantityFrom: null, quantityTo: null, timestampX: iso(r.timestampX) });

function priceFrom(table: Table<Price>, fl: Params, existing?: Price): Price {
  const productId = Number(fl.productId ?? existing?.productId);
  const price = Number(fl.price ?? existing?.price);
  if (!productId || Number.isNaN(price)) throw errors.argValue('Required fields: productId, price');
  return { id: existing?.id ?? table.nextId, productId, catalogGroupId: Number(fl.catalogGroupId ?? existing?.catalogGroupId ?? 1), price, currency: String(fl.currency ?? existing?.currency ?? 'RUB'), timestampX: nowS() };
}

// apidocs: api-reference/catalog/{catalog,product,price-type,price,store,store-product}/*-list.md, catalog-price-{add,update,modify}.md
export const catalog: Record<string, Handler> = {
  'catalog.catalog.list': (_p, { ctx }) => {
    const id = ctx.data.catalogIblockId;
    return { result: { catalogs: [{ id, iblockId: id, iblockTypeId: 'CRM_PRODUCT_CATALOG', lid: 's1', name: 'Каталог товаров CRM', productIblockId: null, skuPropertyId: null, subscription: 'N', vatId: null, yandexExport: 'N' }] }, total: 1 };
  },
  'catalog.product.list': lister('products', ({ ctx }) => ctx.data.products, productFields, (r) => ({ id: r.id, iblockId: r.iblockId, name: r.name, active: r.active, available: 'Y', code: r.code, measure: r.measure, type: 1, dateCreate: iso(r.dateCreate), timestampX: iso(r.timestampX), xmlId: String(r.id) })),
  'catalog.priceType.list': () => ({ result: { priceTypes: [{ id: 1, name: 'BASE', base: 'Y', sort: 100, xmlId: 'BASE', createdBy: 1, modifiedBy: 1, dateCreate: iso(nowS()), timestampX: iso(nowS()) }] }, total: 1 }),
  'catalog.price.list': lister('prices', ({ ctx }) => ctx.data.prices, priceFields, priceWire),
  'catalog.price.add': (p, { ctx }) => {
    const row = ctx.data.prices.add(priceFrom(ctx.data.prices, (p.fields ?? {}) as Params));
    return { result: { price: priceWire(row) } };
  },
  'catalog.price.update': (p, { ctx }) => {
    const existing = ctx.data.prices.get(Number(p.id));
    if (!existing) throw errors.notFound();
    Object.assign(existing, priceFrom(ctx.data.prices, (p.fields ?? {}) as Params, existing));
    ctx.data.prices.touch();
    return { result: { price: priceWire(existing) } };
  },
  'catalog.price.modify': (p, { ctx }) => {
    const product = ((p.fields ?? {}) as Params).product as Params | undefined;
    const productId = Number(product?.id);
    if (!productId || !Array.isArray(product?.prices)) throw errors.argValue('fields.product.id and fields.product.prices are required');
    const out: Price[] = [];
    for (const raw of product.prices as Params[]) {
      const group = Number(raw.catalogGroupId ?? 1);
      const existing = ctx.data.prices.rows.find((r) => r.productId === productId && r.catalogGroupId === group);
      if (existing) Object.assign(existing, priceFrom(ctx.data.prices, { ...raw, productId }, existing));
      else ctx.data.prices.add(priceFrom(ctx.data.prices, { ...raw, productId }));
      out.push(existing ?? (ctx.data.prices.rows.at(-1) as Price));
    }
    ctx.data.prices.touch();
    return { result: { prices: out.map(priceWire) } };
  },
  'catalog.store.list': lister('stores', ({ ctx }) => ctx.data.stores, storeFields, (r) => ({ id: r.id, title: r.title, active: r.active, address: r.address, sort: r.sort, dateCreate: iso(r.dateCreate), isDefault: r.id === 1 ? 'Y' : 'N', code: null, xmlId: null })),
  'catalog.storeproduct.list': lister('storeProducts', ({ ctx }) => ctx.data.storeProducts, stockFields, (r) => ({ id: r.id, productId: r.productId, storeId: r.storeId, amount: r.amount, quantityReserved: r.quantityReserved })),
};
