import { z } from 'zod';

const decimal = z.string().regex(/^\d{1,15}(\.\d{1,2})?$/, 'an amount such as "12000000"');

export const forecastConfig = z.strictObject({
  /** Revenue plans per quarter label ("2026-Q1"); `plan` for any quarter without one. */
  plans: z.record(z.string().regex(/^\d{4}-Q[1-4]$/), decimal).default({}),
  plan: decimal.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).default('RUB'),
  timezone: z.string().default('Europe/Moscow'),
  /** How far back history reaches for win rates, cycle times and conversion. */
  historyDays: z.int().min(30).max(1825).default(365),
  /** The recent window for the rate of new leads per channel. */
  leadRateDays: z.int().min(7).max(365).default(90),
  /** The range's confidence: 0.9 gives the 5th and 95th percentiles. */
  confidence: z.number().gt(0.5).lt(1).default(0.9),
  /** Who gets the report; by default the heads nobody is above. */
  notify: z.array(z.string().min(1)).default([]),
});
export type ForecastConfig = z.output<typeof forecastConfig>;
