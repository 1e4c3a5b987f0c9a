import type { PluginDef } from '../src/sdk/index.js';
import { adAnalytics } from './ad-analytics/index.js';
import { forecast } from './forecast/index.js';
import { kpi } from './kpi/index.js';
import { staleData } from './stale-data/index.js';

/** Every plugin svodka ships, listed explicitly (a test checks each folder here is listed). */
export const plugins: readonly PluginDef[] = [adAnalytics as PluginDef, staleData as PluginDef, kpi as PluginDef, forecast as PluginDef];
