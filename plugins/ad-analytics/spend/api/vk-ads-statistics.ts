import { z } from 'zod';
import { parseDay } from '../dates.js';
import type { Problems } from '../errors.js';
import type { SpendEntry } from '../map-rows.js';
import { parseAmount } from '../money.js';

const whole = z.union([z.int().min(0), z.string().regex(/^\d+$/).transform(Number)]);

/** One page of a list resource: `{count, offset, limit, items}` (https://ads.vk.com/doc/api/info/Overview). */
export const vkList = z.object({
  count: z.int().min(0),
  items: z.array(z.object({ id: z.union([z.int(), z.string().min(1)]), name: z.string().max(10_000).nullish() })),
});

/**
 * `GET /api/v2/statistics/{objects}/day.json` with metrics=base: per object, a row per day. `spent` is
 * a decimal string in the account currency; the shape is checked here, the values in `vkEntries`.
 */
export const vkDayStatistics = z.object({
  items: z.array(
    z.object({
      id: z.union([z.int(), z.string().min(1)]),
      rows: z.array(
        z.object({
          date: z.string(),
          base: z.object({ shows: whole, clicks: whole, spent: z.union([z.string(), z.number()]) }),
        }),
      ),
    }),
  ),
});
export type VkDayStatistics = z.infer<typeof vkDayStatistics>;

// A decimal as VK writes it: digits, a dot, digits. Anything else (a comma, an exponent) is refused, not guessed.
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Statistics rows as spend entries of the file path (then summed and checked the same way). Days with
 * no impressions, clicks or spend are left out, as the Yandex report leaves them out. A bad value is a
 * problem naming the campaign and day; `seq` numbers the rows across every response of one fetch.
 */
export function vkEntries(
  stats: VkDayStatistics,
  o: { names: ReadonlyMap<string, string>; currency: string; problems: Problems; seq: { n: number } },
): SpendEntry[] {
  const entries: SpendEntry[] = [];
  for (const item of stats.items) {
    const campaignId = String(item.id);
    for (const row of item.rows) {
      const line = ++o.seq.n;
      const where = `campaign ${campaignId}, ${row.date}`;
      const day = parseDay(row.date);
      if (!day.ok || day.value !== row.date) {
        o.problems.add({ line, message: `${where}: the date is not YYYY-MM-DD` });
        continue;
      }
      // JSON numbers print back as the decimal they were written as (2 places, well under 15 digits).
      const spent = typeof row.base.spent === 'number' ? String(row.base.spent) : row.base.spent.trim();
      const amount = DECIMAL.test(spent) ? parseAmount(spent) : undefined;
      if (!amount?.ok) {
        o.problems.add({ line, message: `${where}: spent "${spent}" is not a decimal amount` });
        continue;
      }
      const { shows, clicks } = row.base;
      if (shows === 0 && clicks === 0 && amount.value.units === 0n) continue;
      if (!Number.isSafeInteger(shows) || !Number.isSafeInteger(clicks)) {
        o.problems.add({ line, message: `${where}: shows or clicks too large` });
        continue;
      }
      const campaignName = o.names.get(campaignId) ?? '';
      entries.push({ line, platform: 'vk_ads', campaignId, campaignName, day: day.value, units: amount.value.units, currency: o.currency, clicks, impressions: shows });
    }
  }
  return entries;
}
