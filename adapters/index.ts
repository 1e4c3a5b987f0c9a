import type { AdapterDef } from '../src/sdk/index.js';

/**
 * Every adapter svodka ships, listed explicitly (a test checks each folder here is listed).
 * Bitrix24, amoCRM and 1C arrive with their issues.
 */
export const adapters: readonly AdapterDef[] = [];
