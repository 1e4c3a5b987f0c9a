import { z } from 'zod';
import { adPlatform, count, currency, day, decimal, externalId, text } from '../../../src/model/index.js';

/** The platforms a spend file may be declared as (the caller's choice when the layout does not say). */
export const spendFilePlatform = z.enum(['yandex_direct', 'vk_ads', 'other']);
export type SpendFilePlatform = z.infer<typeof spendFilePlatform>;
export type AdPlatform = z.infer<typeof adPlatform>;

/** The UTM tags a row of a generic file carries; only the ones present are set. */
export const spendUtm = z.object({
  source: z.string().max(1000).optional(),
  medium: z.string().max(1000).optional(),
  campaign: z.string().max(1000).optional(),
  content: z.string().max(1000).optional(),
  term: z.string().max(1000).optional(),
});
export type SpendUtm = z.infer<typeof spendUtm>;

/** One campaign's spend on one day, summed over every line of the file for that (campaign, day). */
export const spendRow = z.object({
  platform: adPlatform,
  campaignId: externalId,
  day,
  /** Exact decimal in currency units, such as "1234.56": never a float. */
  cost: decimal,
  currency,
  clicks: count,
  impressions: count,
  utm: spendUtm.optional(),
});
export type SpendRow = z.infer<typeof spendRow>;

/** A campaign named in the file, for the ad_campaigns entity. */
export const campaignRow = z.object({
  platform: adPlatform,
  externalId,
  name: text,
  utmCampaign: text.optional(),
});
export type CampaignRow = z.infer<typeof campaignRow>;

export const skippedLine = z.object({ line: z.int().min(1), reason: z.string() });
export type SkippedLine = z.infer<typeof skippedLine>;

export const spendImport = z.object({
  platform: adPlatform,
  /** Layout and container, such as "yandex_direct_api_tsv", "vk_ads_xlsx", "generic_csv". */
  format: z.string(),
  rows: z.array(spendRow),
  campaigns: z.array(campaignRow),
  /** Total and summary lines, notes: passed over on purpose, not errors. */
  skipped: z.array(skippedLine),
});
export type SpendImport = z.infer<typeof spendImport>;

export const parseSpendOptions = z.object({
  /** Named in every error message; also a hint when a header fits Yandex and VK alike. */
  fileName: z.string(),
  /**
   * Where the file is from. Must agree with a Yandex or VK layout ("other" claims nothing); decides
   * between them when the header alone cannot; the platform of generic lines whose platform cell is empty.
   */
  platform: spendFilePlatform.optional(),
  /** ISO 4217 code used when the file does not name its currency; RUB when absent. */
  currency: currency.optional(),
});
export type ParseSpendOptions = z.infer<typeof parseSpendOptions>;
