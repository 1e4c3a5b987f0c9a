import { cost, type Handler } from '../context.js';
import type { ProductRow } from '../data/types.js';
import { listPage, pick, type Field, type Fields } from '../query.js';

const f = <R>(kind: Field<R>['kind'], get: (r: R) => unknown): Field<R> => ({ kind, get });
const fields: Fields<ProductRow> = {
  id: f('int', (r) => r.id),
  ownerId: f('int', (r) => r.ownerId),
  ownerType: f('string', (r) => r.ownerType),
  productId: f('int', (r) => r.productId),
  productName: f('string', (r) => r.productName),
  price: f('float', (r) => r.price - r.discountSum),
  quantity: f('float', (r) => r.quantity),
  sort: f('int', (r) => r.sort),
};

function wire(r: ProductRow): Record<string, unknown> {
  const price = Math.round((r.price - r.discountSum) * 100) / 100;
  return {
    id: r.id,
    ownerId: r.ownerId,
    ownerType: r.ownerType,
    productId: r.productId,
    productName: r.productName,
    price,
    priceAccount: price,
    priceExclusive: price,
    priceNetto: r.price,
    priceBrutto: r.price,
    quantity: r.quantity,
    discountTypeId: 1,
    discountRate: r.price > 0 ? Math.round((r.discountSum / r.price) * 10000) / 100 : 0,
    discountSum: r.discountSum,
    taxRate: r.taxRate,
    taxIncluded: 'Y',
    customized: 'Y',
    measureCode: 796,
    measureName: 'шт',
    sort: r.sort,
    type: 1,
    storeId: null,
  };
}

// apidocs: api-reference/crm/universal/product-rows/crm-item-productrow-list.md (filter must name =ownerType and ownerId)
export const productRows: Record<string, Handler> = {
  'crm.item.productrow.list': (p, { ctx }) => {
    const page = listPage(ctx.data.productRows, fields, { filter: p.filter, order: p.order, start: p.start, idField: 'id', strict: true });
    const rows = page.rows.map((r) => pick(wire(r), p.select, ['id']));
    return { result: { productRows: rows }, total: page.total, next: page.next, cost: cost(rows.length, page.scanned) };
  },
};
