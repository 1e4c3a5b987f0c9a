import type { AdapterDef } from '../src/sdk/index.js';
import { bitrix24Adapter } from './bitrix24/index.js';
import { onecAdapter } from './onec/index.js';
import { amocrmAdapter } from './amocrm/index.js';

/**
 * Every adapter svodka ships, listed explicitly (a test checks each folder here is listed).
 */
export const adapters: readonly AdapterDef[] = [
  bitrix24Adapter as unknown as AdapterDef,
  amocrmAdapter as unknown as AdapterDef,
  onecAdapter as unknown as AdapterDef,
];
