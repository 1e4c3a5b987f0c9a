import { attr, clean, isDeletedStatus, type Attrs } from './attrs.js';
import { toDecimal } from './decimal.js';
import type { CmlKind, CmlOffer, CmlPrice } from './types.js';

const ID = 1;
const NAME = 2;
const ARTICLE = 3;
const BARCODE = 4;
const MARK = 5;
const STATUS = 6;
const QUANTITY = 7;
const PRICE_TYPE = 8;
const PRICE_AMOUNT = 9;
const PRICE_CURRENCY = 10;
const PRICE_UNIT = 11;
const REST_QUANTITY = 12;
const REST_WAREHOUSE = 13;
const REST_WAREHOUSE_QUANTITY = 14;

const FIELDS: Record<string, number> = {
  Ид: ID,
  Наименование: NAME,
  Артикул: ARTICLE,
  Штрихкод: BARCODE,
  ПометкаУдаления: MARK,
  Статус: STATUS,
  Количество: QUANTITY,
};
const PRICE_FIELDS: Record<string, number> = {
  ИдТипаЦены: PRICE_TYPE,
  ЦенаЗаЕдиницу: PRICE_AMOUNT,
  Валюта: PRICE_CURRENCY,
  Единица: PRICE_UNIT,
};

/** The first thing wrong inside an offer, reported once its Ид is known. */
export interface OfferProblem {
  message: string;
  line: number;
}

/** Builds one Предложения/Предложение: identity, Цены/Цена, and stock in its three shapes. */
export class OfferBuilder {
  problem: OfferProblem | undefined;
  private o = emptyOffer(false);
  private named = false;
  private price: CmlPrice | undefined;
  private restWarehouse: string | undefined;
  private restQuantity: string | undefined;

  constructor(
    private readonly knownPriceTypes: ReadonlySet<string>,
    private readonly line: () => number,
  ) {}

  start(attrs: Attrs): void {
    this.o = emptyOffer(isDeletedStatus(attr(attrs, 'Статус')));
    this.problem = undefined;
    this.named = false;
  }

  /** The field code to capture for an element `rel` levels below the offer, or 0. `path` is indexed from the offer. */
  open(name: string, rel: number, path: readonly string[], base: number, attrs: Attrs): number {
    if (rel === 1) {
      if (name === 'Склад') this.warehouseAttrs(attrs);
      return FIELDS[name] ?? 0;
    }
    const top = path[base + 1];
    if (rel === 2) {
      if (name === 'Цена' && top === 'Цены') this.price = { priceTypeId: '', amount: '' };
      return 0;
    }
    const parent = path[base + rel - 1];
    if (rel === 3) {
      if (top === 'Цены' && parent === 'Цена') return PRICE_FIELDS[name] ?? 0;
      if (top !== 'Остатки' || parent !== 'Остаток') return 0;
      if (name === 'Склад') this.restWarehouse = this.restQuantity = undefined;
      return name === 'Количество' ? REST_QUANTITY : 0;
    }
    if (rel === 4 && top === 'Остатки' && parent === 'Склад') {
      if (name === 'Ид') return REST_WAREHOUSE;
      if (name === 'Количество') return REST_WAREHOUSE_QUANTITY;
    }
    return 0;
  }

  set(field: number, text: string): void {
    const o = this.o;
    if (field === ID) o.id = text.trim();
    else if (field === NAME) this.named = setOpt(o, 'name', clean(text));
    else if (field === ARTICLE) setOpt(o, 'article', clean(text));
    else if (field === BARCODE) o.barcode ??= clean(text);
    else if (field === MARK) o.deleted ||= text.trim().toLowerCase() === 'true';
    else if (field === STATUS) o.deleted ||= isDeletedStatus(text);
    else if (field === QUANTITY) o.stock.push({ quantity: this.number(text, 'Количество') });
    else if (field === REST_QUANTITY) o.stock.push({ quantity: this.number(text, 'Остаток/Количество') });
    else if (field === REST_WAREHOUSE) this.restWarehouse = clean(text);
    else if (field === REST_WAREHOUSE_QUANTITY) this.restQuantity = this.number(text, 'Склад/Количество');
    else if (this.price) this.setPrice(this.price, field, text);
  }

  /** Closing an element inside the offer: ends a price or an Остаток/Склад. */
  close(name: string, rel: number): void {
    if (rel === 2 && name === 'Цена' && this.price) this.endPrice(this.price);
    else if (rel === 3 && name === 'Склад' && this.restQuantity !== undefined) {
      this.o.stock.push(
        this.restWarehouse === undefined
          ? { quantity: this.restQuantity }
          : { warehouseId: this.restWarehouse, quantity: this.restQuantity },
      );
      this.restQuantity = undefined;
    }
  }

  /** The offer as read; check `problem` first. */
  finish(): CmlOffer {
    const o = this.o;
    const hash = o.id.indexOf('#');
    if (hash >= 0) {
      o.productId = o.id.slice(0, hash);
      const variant = o.id.slice(hash + 1);
      if (variant) o.variantId = variant;
    } else o.productId = o.id;
    if (o.barcode === undefined) delete o.barcode;
    return o;
  }

  /** offers___ files carry names, prices___ only Цены, rests___ only Остатки. */
  hint(): CmlKind {
    const { prices, stock } = this.o;
    if (this.named) return 'offers';
    if (prices.length > 0 && stock.length === 0) return 'prices';
    if (stock.length > 0 && prices.length === 0) return 'rests';
    return 'offers';
  }

  private warehouseAttrs(attrs: Attrs): void {
    const quantity = attr(attrs, 'КоличествоНаСкладе');
    if (quantity === undefined) return;
    const warehouseId = clean(attr(attrs, 'ИдСклада'));
    const q = this.number(quantity, 'КоличествоНаСкладе');
    this.o.stock.push(warehouseId === undefined ? { quantity: q } : { warehouseId, quantity: q });
  }

  private setPrice(price: CmlPrice, field: number, text: string): void {
    if (field === PRICE_TYPE) {
      price.priceTypeId = text.trim();
      if (!this.knownPriceTypes.has(price.priceTypeId)) {
        this.report(`неизвестный тип цены ${price.priceTypeId}: его нет в ТипыЦен ни этого файла, ни классификатора / unknown price type`);
      }
    } else if (field === PRICE_AMOUNT) price.amount = this.number(text, 'ЦенаЗаЕдиницу');
    else if (field === PRICE_CURRENCY) setOpt(price, 'currency', clean(text));
    else if (field === PRICE_UNIT) setOpt(price, 'unit', clean(text));
  }

  private endPrice(price: CmlPrice): void {
    this.price = undefined;
    if (!price.priceTypeId) return this.report('цена без ИдТипаЦены / a price without its price type');
    if (!price.amount) return this.report('цена без ЦенаЗаЕдиницу / a price without an amount');
    this.o.prices.push(price);
  }

  private number(raw: string, what: string): string {
    const value = toDecimal(raw);
    if (value !== undefined) return value;
    this.report(`${what} «${raw.trim()}» — не число / not a number`);
    return '0';
  }

  private report(message: string): void {
    this.problem ??= { message, line: this.line() };
  }
}

function emptyOffer(deleted: boolean): CmlOffer {
  return { id: '', productId: '', deleted, prices: [], stock: [] };
}

function setOpt<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): boolean {
  if (value === undefined) delete target[key];
  else target[key] = value;
  return value !== undefined;
}
