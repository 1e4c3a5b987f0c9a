import type { CampaignRow, SpendImport, SpendRow } from '../../plugins/ad-analytics/spend/schema.js';

const platformOf = (source: string): SpendRow['platform'] | undefined =>
  source === 'yandex' ? 'yandex_direct' : source === 'vk' ? 'vk_ads' : undefined;

/**
 * Daily spend for the demo, as a report would give it: per UTM campaign the CRM's deals carry (Yandex
 * and VK marks), over the last `days` days, exact kopecks.
 */
export function sampleSpend(marks: readonly { source: string; campaign: string }[], today: Date, days = 120): Pick<SpendImport, 'campaigns' | 'rows'> {
  const campaigns: CampaignRow[] = [];
  const rows: SpendRow[] = [];
  let k = 0;
  for (const m of marks) {
    const platform = platformOf(m.source);
    if (!platform) continue;
    k++;
    const campaignId = `${m.source}-${m.campaign}`;
    campaigns.push({ platform, externalId: campaignId, name: `${m.source} / ${m.campaign}`, utmCampaign: m.campaign });
    for (let d = 1; d <= days; d++) {
      const day = new Date(today.getTime() - d * 86_400_000).toISOString().slice(0, 10);
      // A steady daily budget with a weekly swing: enough to give each campaign its own ROMI.
      const kopecks = (1500 + ((k * 977 + d * 131) % 2500)) * 100 + ((k + d) % 100);
      const clicks = 20 + ((k * 31 + d * 7) % 60);
      rows.push({ platform, campaignId, day, cost: `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`, currency: 'RUB', clicks, impressions: clicks * 40 });
    }
  }
  return { campaigns, rows };
}
