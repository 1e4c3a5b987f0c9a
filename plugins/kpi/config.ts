import { z } from 'zod';

export const kpiIds = [
  'leads',
  'firstContactHours',
  'activityScore',
  'leadToDeal',
  'dealToWon',
  'revenue',
  'attainment',
  'averageCheck',
  'cycleDays',
  'overdueShare',
  'staleShare',
  'completeness',
] as const;
export type KpiId = (typeof kpiIds)[number];

/** KPIs where less is better: their normalised value is turned around before weighting. */
export const lowerIsBetter: ReadonlySet<KpiId> = new Set(['firstContactHours', 'cycleDays', 'overdueShare', 'staleShare']);

const decimal = z.string().regex(/^\d{1,15}(\.\d{1,2})?$/, 'an amount such as "1500000" or "1500000.50"');

export const kpiConfig = z.strictObject({
  period: z.enum(['month', 'quarter']).default('month'),
  /** How many periods back, the current one included. */
  periods: z.int().min(1).max(24).default(3),
  /** Period boundaries are local to the company. */
  timezone: z.string().default('Europe/Moscow'),
  /** Revenue counts won deals in this currency. */
  currency: z.string().regex(/^[A-Z]{3}$/).default('RUB'),
  normalise: z.enum(['percentile', 'zscore', 'minmax']).default('percentile'),
  weights: z
    .partialRecord(z.enum(kpiIds), z.number().min(0))
    .default({}),
  /** Attainment above this counts as this (1.5 = 150%). */
  attainmentCap: z.number().min(1).max(10).default(1.5),
  /** Leads, deals created and deals closed in a period a manager needs before being ranked in it. */
  minRecords: z.int().min(0).default(5),
  /** Revenue plans: user id -> period ("2026-03", "2026-Q1") -> amount; `defaultPlan` for the rest. */
  plans: z.record(z.string(), z.record(z.string(), decimal)).default({}),
  defaultPlan: decimal.optional(),
  /** Calls shorter than this count for `shortCallWeight` only, so that 20-second calls do not game the score. */
  minCallSeconds: z.int().min(0).default(60),
  activityWeights: z
    .strictObject({
      call: z.number().min(0).default(1),
      shortCall: z.number().min(0).default(0.1),
      meeting: z.number().min(0).default(2),
      email: z.number().min(0).default(0.5),
      message: z.number().min(0).default(0.3),
      task: z.number().min(0).default(0.5),
    })
    .default({ call: 1, shortCall: 0.1, meeting: 2, email: 0.5, message: 0.3, task: 0.5 }),
  /** An open deal untouched this many days counts as stale in the current period. */
  staleDays: z.number().positive().default(14),
  /** A task to each department head with the rating of the last complete period. */
  notifyHeads: z.boolean().default(true),
});
export type KpiConfig = z.output<typeof kpiConfig>;

/** Outcomes weigh most; how the work was done, less. Leads taken is shown but not scored. */
export const defaultWeights: Record<KpiId, number> = {
  leads: 0,
  firstContactHours: 0.05,
  activityScore: 0.1,
  leadToDeal: 0.1,
  dealToWon: 0.15,
  revenue: 0.15,
  attainment: 0.2,
  averageCheck: 0.05,
  cycleDays: 0.05,
  overdueShare: 0.05,
  staleShare: 0.05,
  completeness: 0.05,
};
