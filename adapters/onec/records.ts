import type { EntityName, ModelInput } from '../../src/model/index.js';
import { ValidationError } from '../../src/sdk/index.js';
import type { CmlHeader, CmlItem, CmlOffer } from './parse/index.js';

/** Records of one entity to store, and ids the file marks deleted. */
export interface RecordBatch {
  entity: EntityName;
  records: ModelInput<EntityName>[];
  deleted: string[];
}

type Batches = <E extends EntityName>(entity: E) => { records: ModelInput<E>[]; deleted: string[] };

/** What a file held, as `svodka 1c import --json` and the exchange report it. */
export interface FileSummary {
  kind: CmlHeader['kind'];
  schemaVersion: string;
  onlyChanges: boolean;
  products: number;
  offers: number;
  priceTypes: number;
  warehouses: number;
  prices: number;
  stockRows: number;
  deleted: number;
}

const size = 1000;
/** Stock kept without a warehouse (a bare Количество) is stored against this one. */
export const totalWarehouse = 'total';

export const priceId = (offer: string, priceType: string): string => `${offer}:${priceType}`;
export const stockId = (offer: string, warehouse: string): string => `${offer}:${warehouse}`;

/**
 * Turns a file's items into model records in batches of up to 5,000 per entity. Products come from
 * import files, and from offers that are variants (GUID#GUID) of a product; prices and stock from
 * offers, prices and rests files. Numbers stay the exact decimal strings the parser read.
 */
export async function* recordsOf(
  items: AsyncIterable<CmlItem>,
  summary: (s: FileSummary) => void,
  known: ReadonlyMap<string, { currency?: string }> = new Map(),
  onHeader?: (h: CmlHeader) => void,
): AsyncIterable<RecordBatch> {
  const pending = new Map<EntityName, RecordBatch>();
  const s: FileSummary = { kind: 'import', schemaVersion: '', onlyChanges: false, products: 0, offers: 0, priceTypes: 0, warehouses: 0, prices: 0, stockRows: 0, deleted: 0 };
  const priceTypes = new Map<string, { currency?: string }>(known);
  const batch: Batches = <E extends EntityName>(entity: E) => {
    let b = pending.get(entity);
    if (!b) pending.set(entity, (b = { entity, records: [], deleted: [] }));
    return b as unknown as { records: ModelInput<E>[]; deleted: string[] };
  };
  const full = function* (): Iterable<RecordBatch> {
    for (const [entity, b] of pending) {
      if (b.records.length + b.deleted.length >= size) {
        pending.delete(entity);
        yield b;
      }
    }
  };

  for await (const item of items) {
    switch (item.type) {
      case 'header':
        onHeader?.(item.header);
        s.kind = item.header.kind;
        s.schemaVersion = item.header.schemaVersion;
        s.onlyChanges = item.header.onlyChanges;
        break;
      case 'priceType': {
        const t = item.priceType;
        priceTypes.set(t.id, { currency: t.currency });
        batch('price_types').records.push({ externalId: t.id, name: t.name, currency: t.currency ? normaliseCurrency(t.currency) : undefined });
        s.priceTypes += 1;
        break;
      }
      case 'warehouse':
        batch('warehouses').records.push({ externalId: item.warehouse.id, name: item.warehouse.name });
        s.warehouses += 1;
        break;
      case 'product': {
        const p = item.product;
        s.products += 1;
        if (p.deleted) {
          batch('products').deleted.push(p.id);
          s.deleted += 1;
        } else {
          batch('products').records.push({ externalId: p.id, name: p.name, onecId: p.id, article: p.article, barcode: p.barcode, unit: p.unit, active: true });
        }
        break;
      }
      case 'offer':
        s.offers += 1;
        offer(item.offer, batch, priceTypes, s);
        break;
    }
    yield* full();
  }
  for (const b of pending.values()) if (b.records.length || b.deleted.length) yield b;
  summary(s);
}

function offer(o: CmlOffer, batch: Batches, priceTypes: Map<string, { currency?: string }>, s: FileSummary): void {
  if (o.deleted) {
    s.deleted += 1;
    if (o.variantId) batch('products').deleted.push(o.id);
    for (const p of o.prices) batch('prices').deleted.push(priceId(o.id, p.priceTypeId));
    return;
  }
  if (o.variantId) {
    batch('products').records.push({ externalId: o.id, name: o.name ?? o.id, onecId: o.id, article: o.article, barcode: o.barcode, active: true });
  }
  for (const p of o.prices) {
    const currency = normaliseCurrency(p.currency ?? priceTypes.get(p.priceTypeId)?.currency);
    batch('prices').records.push({ externalId: priceId(o.id, p.priceTypeId), productId: o.id, priceType: p.priceTypeId, amount: p.amount, currency });
    s.prices += 1;
  }
  // 1C УТ writes both a total (Количество) and the rows per warehouse: the rows are the stock then.
  const perWarehouse = o.stock.some((st) => st.warehouseId !== undefined);
  for (const st of o.stock) {
    if (perWarehouse && st.warehouseId === undefined) continue;
    const warehouse = st.warehouseId ?? totalWarehouse;
    batch('stock').records.push({ externalId: stockId(o.id, warehouse), productId: o.id, warehouseId: warehouse, quantity: st.quantity });
    s.stockRows += 1;
  }
}

/** 1C writes currencies as codes (RUB, 643) or words (руб., руб): the model keeps ISO codes. */
export function normaliseCurrency(value: string | undefined): string {
  const v = (value ?? '').trim().toLowerCase().replace(/\.$/, '');
  if (!v || v === 'руб' || v === 'rub' || v === '643' || v === 'рубль' || v === 'rur') return 'RUB';
  if (v === 'usd' || v === '840' || v === '$') return 'USD';
  if (v === 'eur' || v === '978' || v === '€') return 'EUR';
  if (/^[a-z]{3}$/.test(v)) return v.toUpperCase();
  throw new ValidationError(`неизвестная валюта / unknown currency ${JSON.stringify(value)}`);
}
