export type CmlKind = 'import' | 'offers' | 'prices' | 'rests';

export interface CmlHeader {
  kind: CmlKind;
  schemaVersion: string;
  onlyChanges: boolean;
  generatedAt?: string;
  catalogId?: string;
  packageId?: string;
}

export interface CmlProduct {
  id: string;
  name: string;
  article?: string;
  barcode?: string;
  unit?: string;
  deleted: boolean;
  groupIds: string[];
}

export interface CmlPriceType {
  id: string;
  name: string;
  currency?: string;
}

export interface CmlWarehouse {
  id: string;
  name: string;
}

export interface CmlPrice {
  priceTypeId: string;
  /** Exact decimal as written in ЦенаЗаЕдиницу, after removing spaces and turning a comma into a dot. */
  amount: string;
  currency?: string;
  unit?: string;
}

export interface CmlStock {
  /** undefined: a total without a warehouse (a bare Количество). */
  warehouseId?: string;
  /** Exact decimal, may be negative. */
  quantity: string;
}

export interface CmlOffer {
  /** May be GUID#GUID (a product characteristic). */
  id: string;
  /** The part before '#'. */
  productId: string;
  /** The part after '#', when there is one. */
  variantId?: string;
  name?: string;
  article?: string;
  barcode?: string;
  deleted: boolean;
  prices: CmlPrice[];
  /** From Склад@КоличествоНаСкладе, Остатки/Остаток/Склад/Количество, Остатки/Остаток/Количество or a bare Количество. */
  stock: CmlStock[];
}

export type CmlItem =
  | { type: 'header'; header: CmlHeader }
  | { type: 'priceType'; priceType: CmlPriceType }
  | { type: 'warehouse'; warehouse: CmlWarehouse }
  | { type: 'product'; product: CmlProduct }
  | { type: 'offer'; offer: CmlOffer };

export interface ReadCmlOptions {
  /** The file name as uploaded (import0_1.xml, offers___<GUID>.xml): cross-checked with the content. */
  fileName?: string;
  /** Price type ids declared by the classifier of the same exchange (prices files carry none of their own). */
  knownPriceTypes?: ReadonlySet<string>;
}
