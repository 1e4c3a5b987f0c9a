import type { ModelInput } from '../../../../src/model/index.js';
import type { SpendImport } from '../schema.js';

/**
 * A spend report (from a file or an API) as the records the store upserts: campaigns by their platform
 * id, daily spend keyed `<platform>:<campaign>:<day>`, so that fetching or importing the same days again
 * changes nothing and a newer figure replaces an older one. The same keys `svodka import spend` writes.
 */
export function spendRecords(report: Pick<SpendImport, 'campaigns' | 'rows'>): { campaigns: ModelInput<'ad_campaigns'>[]; spend: ModelInput<'ad_spend'>[] } {
  return {
    campaigns: report.campaigns.map((c) => ({
      externalId: c.externalId,
      platform: c.platform,
      name: c.name,
      ...(c.utmCampaign ? { utmCampaign: c.utmCampaign } : {}),
    })),
    spend: report.rows.map((r) => ({
      externalId: `${r.platform}:${r.campaignId}:${r.day}`,
      platform: r.platform,
      campaignId: r.campaignId,
      day: r.day,
      cost: r.cost,
      currency: r.currency,
      clicks: r.clicks,
      impressions: r.impressions,
    })),
  };
}
