import { z } from 'zod';
import { aggregate } from '../aggregate.js';
import { Problems } from '../errors.js';
import type { SpendEntry } from '../map-rows.js';
import { spendImport, type SpendImport } from '../schema.js';
import { AdApiError, API_NAME, withoutSecret } from './errors.js';
import { chunks, commonFetchOptions, parseFetchOptions, splitDays, type FetchDeps } from './fetch-options.js';
import { vkDayStatistics, vkEntries, vkList } from './vk-ads-statistics.js';

export const VK_ADS_ORIGIN = 'https://ads.vk.com';
const API = API_NAME.vk_ads;

export const vkAdsFetchOptions = commonFetchOptions.extend({
  /**
   * Which objects are the campaigns: `ad_plans` (VK Ads campaigns, the default) or `campaigns` (the
   * myTarget-era objects, ad groups in today's VK Ads cabinet). See tests/fixtures/ads/API-FACTS.md.
   */
  level: z.enum(['ad_plans', 'campaigns']).default('ad_plans'),
  /** Ids per statistics request: at most 200 objects per request. */
  batchSize: z.int().min(1).max(200).default(200),
  /** Days per statistics request. */
  maxDays: z.int().min(1).max(366).default(92),
  /** Objects per list page: at most 50. */
  pageSize: z.int().min(1).max(50).default(50),
});
export type VkAdsFetchOptions = z.input<typeof vkAdsFetchOptions>;
type Options = z.output<typeof vkAdsFetchOptions>;

const MAX_PAGES = 2_000;

/**
 * Daily spend of every campaign of a VK Ads account: the campaigns page by page (id and name), then
 * their day statistics (metrics=base) in batches of ids and periods, as the rows a report file gives.
 * `deps.http` must be built with `classifyVkAds`; it retries 429 and server errors with backoff.
 */
export async function fetchVkAdsSpend(options: VkAdsFetchOptions, deps: FetchDeps): Promise<SpendImport> {
  const o = parseFetchOptions('vk_ads', vkAdsFetchOptions, options);
  return withoutSecret(o.token, async () => {
    const names = await listCampaigns(o, deps);
    const problems = new Problems();
    const seq = { n: 0 };
    const entries: SpendEntry[] = [];
    for (const ids of chunks([...names.keys()], o.batchSize)) {
      for (const period of splitDays(o.from, o.to, o.maxDays)) {
        const data = await get(o, deps, `/api/v2/statistics/${o.level}/day.json`, {
          id: ids.join(','),
          date_from: period.from,
          date_to: period.to,
          metrics: 'base',
        });
        const stats = checked(vkDayStatistics, data, `statistics of ${o.level}`);
        entries.push(...vkEntries(stats, { names, currency: o.currency, problems, seq }));
      }
    }
    const { rows, campaigns } = aggregate(entries, problems);
    problems.throwIfAny(`${API} statistics ${o.from}..${o.to}`);
    return spendImport.parse({ platform: 'vk_ads', format: `vk_ads_api_${o.level}`, rows, campaigns, skipped: [] });
  });
}

/** Every campaign's id and name, following limit/offset until `count` are read. */
async function listCampaigns(o: Options, deps: FetchDeps): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  // Deleted campaigns still have spend in past days; ad_plans takes a status filter, the old resource is left as it is.
  const status: Record<string, string> = o.level === 'ad_plans' ? { _status__in: 'active,blocked,deleted' } : {};
  for (let page = 0, offset = 0; page < MAX_PAGES; page++) {
    const data = await get(o, deps, `/api/v2/${o.level}.json`, { fields: 'id,name', limit: o.pageSize, offset, ...status });
    const list = checked(vkList, data, `list of ${o.level}`);
    for (const item of list.items) names.set(String(item.id), item.name ?? '');
    offset += list.items.length;
    if (list.items.length === 0 || offset >= list.count) return names;
  }
  throw new AdApiError('ad_api_bad_response', `${API}: more than ${MAX_PAGES} pages of ${o.level}`, { platform: 'vk_ads' });
}

async function get(o: Options, deps: FetchDeps, path: string, query: Record<string, string | number>): Promise<unknown> {
  deps.signal?.throwIfAborted();
  const res = await deps.http.request({
    url: `${VK_ADS_ORIGIN}${path}`,
    query,
    headers: { Authorization: `Bearer ${o.token}` },
    timeoutMs: 120_000,
  });
  return res.data;
}

function checked<S extends z.ZodType>(schema: S, data: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const why = r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
  throw new AdApiError('ad_api_bad_response', `${API}: unexpected ${what}: ${why}`, { platform: 'vk_ads' });
}
