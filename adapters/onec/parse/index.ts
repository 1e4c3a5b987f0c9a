export type {
  CmlKind,
  CmlHeader,
  CmlProduct,
  CmlPriceType,
  CmlWarehouse,
  CmlPrice,
  CmlStock,
  CmlOffer,
  CmlItem,
  ReadCmlOptions,
} from './types.js';
export { CmlError, CmlNotCatalogError } from './errors.js';
export { readCml } from './read-cml.js';
export { detectKind } from './detect-kind.js';
