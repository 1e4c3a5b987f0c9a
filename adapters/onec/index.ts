import type { ModelInput } from '../../src/model/index.js';
import { defineAdapter } from '../../src/sdk/index.js';
import { onecSettings } from './config.js';

/** records.ts already builds model records; the store parses them. */
const same = <E extends 'products' | 'price_types' | 'prices' | 'warehouses' | 'stock'>() => ({
  map: (raw: unknown) => raw as ModelInput<E>,
});

/**
 * 1C:Enterprise. 1C sends its data (the exchange protocol in webhooks/onec.ts, JSON pushes, or files
 * through `svodka 1c import`); there is nothing to pull, so a sync of a 1C account reads nothing.
 */
export const onecAdapter = defineAdapter({
  id: 'onec',
  config: onecSettings,
  entities: {
    products: same<'products'>(),
    price_types: same<'price_types'>(),
    prices: same<'prices'>(),
    warehouses: same<'warehouses'>(),
    stock: same<'stock'>(),
  },
  async check() {},
  // eslint-disable-next-line require-yield
  async *pull() {
    return;
  },
});
