import { z } from 'zod';

/** Settings of the stale-data checks; every one has a default, so `{}` is a valid configuration. */
export const staleConfig = z.strictObject({
  /** Days without any activity before an open deal counts as stale, when a stage's history is too thin. */
  defaultIdleDays: z.number().positive().max(365).default(14),
  /** The share of past stays in a stage that ended sooner: a deal idle longer than this is stale. */
  stagePercentile: z.number().gt(0).lt(1).default(0.8),
  /** Past stays needed before a stage's own percentile is trusted. */
  minStageSamples: z.int().min(1).default(20),
  /** Never call a deal stale sooner than this, however fast its stage usually moves. */
  minIdleDays: z.number().min(0).default(3),
  /** Rules to leave out: owner_inactive, no_activity, no_next_task, overdue_task, close_date_past, missing_data, duplicate_contact. */
  skip: z.array(z.string()).default([]),
  /** Who takes over a dismissed manager's records when their department has no one active: user ids. */
  pool: z.array(z.string().min(1)).default([]),
  /** Findings listed per rule at most (all are counted): the most pressing first. */
  limitPerRule: z.int().min(1).max(1_000_000).default(5_000),
  /** Days the new owner gets for the hand-over task. */
  taskDays: z.int().min(1).max(60).default(2),
});
export type StaleConfig = z.output<typeof staleConfig>;

export const ruleIds = [
  'owner_inactive',
  'no_activity',
  'no_next_task',
  'overdue_task',
  'close_date_past',
  'missing_data',
  'duplicate_contact',
] as const;
export type RuleId = (typeof ruleIds)[number];
export type Severity = 'high' | 'medium' | 'low';
