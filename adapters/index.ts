import type { AdapterDef } from '../src/sdk/index.js';
import { bitrix24Adapter } from './bitrix24/index.js';

/**
 * Every adapter svodka ships, listed explicitly (a test checks each folder here is listed).
 * amoCRM and 1C arrive with their issues.
 */
export const adapters: readonly AdapterDef[] = [bitrix24Adapter as unknown as AdapterDef];
