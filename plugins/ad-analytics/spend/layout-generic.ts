import { oneOf, type Layout } from './layout.js';

/**
 * svodka's own CSV for any platform: date, platform, campaign, campaign_id (optional), utm_source,
 * utm_medium, utm_campaign, utm_content, utm_term (optional), cost, clicks, impressions, currency.
 * Header names are matched without regard to case; `,` or `;` separated.
 */
export const genericLayout: Layout = {
  id: 'generic',
  platform: undefined,
  columns: {
    date: oneOf('date', 'day'),
    platform: oneOf('platform'),
    campaignName: oneOf('campaign', 'campaign_name'),
    campaignId: oneOf('campaign_id'),
    utmSource: oneOf('utm_source'),
    utmMedium: oneOf('utm_medium'),
    utmCampaign: oneOf('utm_campaign'),
    utmContent: oneOf('utm_content'),
    utmTerm: oneOf('utm_term'),
    cost: oneOf('cost', 'spend'),
    clicks: oneOf('clicks'),
    impressions: oneOf('impressions'),
    currency: oneOf('currency'),
  },
  score: (headers) => headers.filter((h) => h === 'platform' || h.startsWith('utm_') || h === 'campaign_id').length + 1,
  cost: 'amount',
  currencyInHeader: false,
};
