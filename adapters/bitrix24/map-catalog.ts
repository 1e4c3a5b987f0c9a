import { z } from 'zod';
import type { ModelInput } from '../../src/model/index.js';
import { currencyCode, flag, id, money, optionalText, when } from './values.js';

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(#[0-9a-f-]+)?$/i;

const rawProduct = z.looseObject({
  id,
  name: z.string(),
  active: flag.optional(),
  xmlId: optionalText,
  code: optionalText,
  timestampX: when,
});

export function mapProduct(raw: unknown): ModelInput<'products'> {
  const p = rawProduct.parse(raw);
  return {
    externalId: p.id,
    name: p.name,
    crmId: p.id,
    // Products exchanged with 1C carry the 1C Ид in XML_ID.
    onecId: p.xmlId && guid.test(p.xmlId) ? p.xmlId : undefined,
    article: p.code,
    active: p.active ?? true,
    updatedAt: p.timestampX,
  };
}

const rawPrice = z.looseObject({
  id,
  productId: id,
  catalogGroupId: id,
  price: money,
  currency: currencyCode,
  timestampX: when,
});

export function mapPrice(raw: unknown): ModelInput<'prices'> | null {
  const p = rawPrice.parse(raw);
  if (p.price === undefined || !p.currency) return null;
  return {
    externalId: p.id,
    productId: p.productId,
    priceType: p.catalogGroupId,
    amount: p.price,
    currency: p.currency,
    updatedAt: p.timestampX,
  };
}

const rawStore = z.looseObject({ id, title: optionalText, code: optionalText });

export function mapWarehouse(raw: unknown): ModelInput<'warehouses'> {
  const s = rawStore.parse(raw);
  return { externalId: s.id, name: s.title ?? `Склад ${s.id}`, code: s.code };
}

const rawStock = z.looseObject({ id, productId: id, storeId: id, amount: money });

export function mapStock(raw: unknown): ModelInput<'stock'> {
  const s = rawStock.parse(raw);
  return { externalId: s.id, productId: s.productId, warehouseId: s.storeId, quantity: s.amount ?? '0' };
}
