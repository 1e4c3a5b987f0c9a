import type { AdapterDef } from '../src/sdk/index.js';
import { bitrix24Adapter } from './bitrix24/index.js';
import { onecAdapter } from './onec/index.js';

/**
 * Every adapter svodka ships, listed explicitly (a test checks each folder here is listed).
 * amoCRM arrives with its issue.
 */
export const adapters: readonly AdapterDef[] = [bitrix24Adapter as unknown as AdapterDef, onecAdapter as unknown as AdapterDef];
