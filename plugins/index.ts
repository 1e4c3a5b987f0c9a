import type { PluginDef } from '../src/sdk/index.js';
import { staleData } from './stale-data/index.js';

/**
 * Every plugin svodka ships, listed explicitly (a test checks each folder here is listed).
 * Ad analytics, KPI and forecast arrive with their issues.
 */
export const plugins: readonly PluginDef[] = [staleData as PluginDef];
