/** Daily spend for the demo: per UTM campaign the CRM's deals carry, over the last `days` days, exact kopecks. */
export interface SampleSpendRow {
  platform: 'yandex_direct' | 'vk_ads' | 'other';
  campaignId: string;
  name: string;
  utmCampaign: string;
  day: string;
  cost: string;
  clicks: number;
  impressions: number;
}

const platformOf = (source: string): SampleSpendRow['platform'] | undefined =>
  source === 'yandex' ? 'yandex_direct' : source === 'vk' ? 'vk_ads' : undefined;

export function sampleSpend(marks: readonly { source: string; campaign: string }[], today: Date, days = 120): SampleSpendRow[] {
  const out: SampleSpendRow[] = [];
  let k = 0;
  for (const m of marks) {
    const platform = platformOf(m.source);
    if (!platform) continue;
    k++;
    for (let d = 1; d <= days; d++) {
      const day = new Date(today.getTime() - d * 86_400_000).toISOString().slice(0, 10);
      // A steady daily budget with a weekly swing: enough to give each campaign its own ROMI.
      const kopecks = (1500 + ((k * 977 + d * 131) % 2500)) * 100 + ((k + d) % 100);
      const clicks = 20 + ((k * 31 + d * 7) % 60);
      out.push({ platform, campaignId: `${m.source}-${m.campaign}`, name: `${m.source} / ${m.campaign}`, utmCampaign: m.campaign, day, cost: `${Math.floor(kopecks / 100)}.${String(kopecks % 100).padStart(2, '0')}`, clicks, impressions: clicks * 40 });
    }
  }
  return out;
}
