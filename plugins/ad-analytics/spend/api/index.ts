import type { RateLimitSpec } from '../../../../src/sdk/adapter.js';

export { AdApiError, scrubSecret, type AdApiErrorCode, type AdApiPlatform } from './errors.js';
export { type FetchDeps } from './fetch-options.js';
export { spendRecords } from './spend-records.js';
export { classifyVkAds } from './vk-ads-errors.js';
export { fetchVkAdsSpend, VK_ADS_ORIGIN, vkAdsFetchOptions, type VkAdsFetchOptions } from './vk-ads-client.js';
export {
  fetchYandexDirectSpend,
  YANDEX_REPORTS_URL,
  YANDEX_SANDBOX_REPORTS_URL,
  yandexDirectFetchOptions,
  type YandexDirectFetchOptions,
} from './yandex-direct-client.js';
export { classifyYandexDirect } from './yandex-direct-errors.js';
export { parseYandexReport } from './yandex-direct-report.js';

/**
 * Request pace for the HTTP client of each API. Yandex Direct allows five simultaneous requests per
 * advertiser; VK Ads announces per-second, hourly and daily limits in X-RateLimit-* headers and answers
 * 429 past them. The clients send one request at a time, so a modest steady rate is enough.
 */
export const AD_API_RATE_LIMITS: Record<'yandex_direct' | 'vk_ads', RateLimitSpec> = {
  yandex_direct: { perSecond: 2, burst: 2 },
  vk_ads: { perSecond: 2, burst: 2 },
};
