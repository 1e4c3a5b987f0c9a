import type { AdPlatform } from './schema.js';

/** The values a spend row is built from; a layout maps some of its columns to these. */
export type Field =
  | 'date'
  | 'campaignId'
  | 'campaignName'
  | 'cost'
  | 'clicks'
  | 'impressions'
  | 'currency'
  | 'platform'
  | 'utmSource'
  | 'utmMedium'
  | 'utmCampaign'
  | 'utmContent'
  | 'utmTerm';

export type LayoutId = 'yandex_direct_api' | 'yandex_direct_web' | 'vk_ads' | 'generic';

/** How money is written in the cost column. */
export type CostMode = 'amount' | 'micros_or_amount';

/** One export layout: which header names are which fields, and what marks a header as this layout's. */
export interface Layout {
  id: LayoutId;
  /** The platform every row of this layout is from; undefined when a column says (generic). */
  platform: AdPlatform | undefined;
  columns: Partial<Record<Field, (h: string) => boolean>>;
  /** How strongly a header row (normalized cells) looks like this layout rather than another one. */
  score: (headers: string[]) => number;
  cost: CostMode;
  /** Whether the cost column's header may name the currency ("Расход (руб.)"). */
  currencyInHeader: boolean;
  /** Lines such as Yandex's "Total rows: 12" that close the report. */
  summaryLine?: RegExp;
}

/**
 * A header cell as layouts compare it: lower case, ё as е, one plain space between words, no BOM,
 * quotes or trailing asterisks.
 */
export function normalizeHeader(cell: string): string {
  return cell
    .replace(/^\ufeff/, '')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\s\u00a0\u2007\u2009\u202f]+/g, ' ')
    .trim()
    .replace(/^["'«]+|["'»*]+$/g, '')
    .trim();
}

export const oneOf =
  (...names: string[]) =>
  (h: string): boolean =>
    names.includes(h);

/** Words that open a total or summary line in Russian and English exports. */
export const TOTAL_WORDS = /^(итого|итог|всего|total|grand total)([\s:.,(]|$)/iu;
