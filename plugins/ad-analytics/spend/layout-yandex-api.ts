import { oneOf, type Layout } from './layout.js';

/**
 * Yandex Direct Reports API, TSV: an optional first line with the report name and period, a header of
 * field names (Date, CampaignId, CampaignName, Impressions, Clicks, Cost, ...), the statistics, and an
 * optional last line counting the rows ("Total rows: N"). Cost is in micro-units (× 1,000,000) unless
 * the report was asked for with `returnMoneyInMicros: false`; the currency is the account's, not named.
 */
export const yandexApiLayout: Layout = {
  id: 'yandex_direct_api',
  platform: 'yandex_direct',
  columns: {
    date: oneOf('date'),
    campaignId: oneOf('campaignid'),
    campaignName: oneOf('campaignname'),
    cost: oneOf('cost'),
    clicks: oneOf('clicks'),
    impressions: oneOf('impressions'),
  },
  // Its CamelCase field names do not occur in the other layouts.
  score: (headers) => headers.filter((h) => h === 'campaignid' || h === 'campaignname').length * 3,
  cost: 'micros_or_amount',
  currencyInHeader: false,
  summaryLine: /^(total rows|всего строк)\s*:\s*\d+\s*$/iu,
};
