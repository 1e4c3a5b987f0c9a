import { z } from 'zod';
import { defineEntity } from './entity.js';
import { currency, decimal, instant, ref, text } from './primitives.js';

export const products = defineEntity(
  'products',
  {
    name: text,
    /** The product's id in the CRM catalog, once linked. */
    crmId: text.optional(),
    /** The 1C GUID (Ид); a variant is "product#variant". */
    onecId: text.optional(),
    article: text.optional(),
    barcode: text.optional(),
    unit: text.optional(),
    active: z.boolean(),
    updatedAt: instant.optional(),
  },
  { updatedAt: 'updatedAt' },
);

export const prices = defineEntity(
  'prices',
  {
    productId: ref,
    priceType: text,
    amount: decimal,
    currency,
    updatedAt: instant.optional(),
  },
  { updatedAt: 'updatedAt' },
);

/** A kind of price (retail, wholesale, ...): 1C's ТипЦены, a CRM's price type. */
export const priceTypes = defineEntity('price_types', {
  name: text,
  currency: currency.optional(),
});

export const warehouses = defineEntity('warehouses', {
  name: text,
  code: text.optional(),
});

export const stock = defineEntity(
  'stock',
  {
    productId: ref,
    warehouseId: ref,
    quantity: decimal,
    updatedAt: instant.optional(),
  },
  { updatedAt: 'updatedAt' },
);

export const dealItems = defineEntity('deal_items', {
  dealId: ref,
  productId: ref.optional(),
  name: text,
  price: decimal,
  currency,
  quantity: decimal,
  discount: decimal.optional(),
  taxRate: decimal.optional(),
});
