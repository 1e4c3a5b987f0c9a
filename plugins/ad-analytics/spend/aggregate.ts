import { derivedCampaignId } from './campaign-id.js';
import type { Problems } from './errors.js';
import type { SpendEntry } from './map-rows.js';
import { fitsModel, formatUnits } from './money.js';
import type { CampaignRow, SpendRow, SpendUtm } from './schema.js';

interface Sum {
  entry: SpendEntry;
  units: bigint;
  clicks: number;
  impressions: number;
  utm: SpendUtm | undefined;
}

/**
 * Sums the lines of one campaign and day (exactly: integers of 1e-8) into one spend row, and lists
 * the campaigns. A campaign with no id gets one derived from its platform and name. UTM tags are kept
 * where every summed line agrees on them.
 */
export function aggregate(entries: SpendEntry[], problems: Problems): { rows: SpendRow[]; campaigns: CampaignRow[] } {
  const sums = new Map<string, Sum>();
  const campaigns = new Map<string, CampaignRow>();
  for (const e of entries) {
    const campaignId = e.campaignId || derivedCampaignId(e.platform, e.campaignName);
    const campaignKey = `${e.platform}\u0000${campaignId}`;
    const known = campaigns.get(campaignKey);
    if (!known) {
      const c: CampaignRow = { platform: e.platform, externalId: campaignId, name: e.campaignName || campaignId };
      if (e.utm?.campaign) c.utmCampaign = e.utm.campaign;
      campaigns.set(campaignKey, c);
    } else {
      if (known.name === known.externalId && e.campaignName) known.name = e.campaignName;
      if (known.utmCampaign === undefined && e.utm?.campaign) known.utmCampaign = e.utm.campaign;
    }
    const key = `${campaignKey}\u0000${e.day}`;
    const sum = sums.get(key);
    if (!sum) {
      sums.set(key, { entry: { ...e, campaignId }, units: e.units, clicks: e.clicks, impressions: e.impressions, utm: e.utm });
      continue;
    }
    if (sum.entry.currency !== e.currency) {
      problems.add({
        line: e.line,
        message: `${e.currency} here, but line ${sum.entry.line} of the same campaign and day is in ${sum.entry.currency}`,
      });
      continue;
    }
    sum.units += e.units;
    sum.clicks += e.clicks;
    sum.impressions += e.impressions;
    sum.utm = commonUtm(sum.utm, e.utm);
    if (!fitsModel(sum.units) || !Number.isSafeInteger(sum.clicks) || !Number.isSafeInteger(sum.impressions)) {
      problems.add({ line: e.line, message: 'the sum for this campaign and day is too large' });
    }
  }
  const rows: SpendRow[] = [...sums.values()].map((s) => {
    const row: SpendRow = {
      platform: s.entry.platform,
      campaignId: s.entry.campaignId,
      day: s.entry.day,
      cost: formatUnits(s.units),
      currency: s.entry.currency,
      clicks: s.clicks,
      impressions: s.impressions,
    };
    if (s.utm && Object.keys(s.utm).length) row.utm = s.utm;
    return row;
  });
  const order = (r: SpendRow) => `${r.day}\u0000${r.platform}\u0000${r.campaignId}`;
  rows.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { rows, campaigns: [...campaigns.values()] };
}

function commonUtm(a: SpendUtm | undefined, b: SpendUtm | undefined): SpendUtm | undefined {
  if (!a || !b) return undefined;
  const out: SpendUtm = {};
  for (const k of ['source', 'medium', 'campaign', 'content', 'term'] as const) {
    if (a[k] !== undefined && a[k] === b[k]) out[k] = a[k];
  }
  return Object.keys(out).length ? out : undefined;
}
