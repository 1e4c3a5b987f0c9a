import { z } from 'zod';
import type { Store } from '../../store/index.js';
import type { KpiResult } from '../../../plugins/kpi/index.js';
import { sees, type Viewer } from '../viewer.js';
import { latestRun, runInfo, type RunInfo } from './runs.js';

export const managersQuery = z.object({ period: z.string().regex(/^\d{4}-(\d{2}|Q\d)$/).optional() });

export interface ManagersPage {
  run: RunInfo | null;
  periods: string[];
  period: string | null;
  rating: KpiResult[];
  /** Score per period for each manager the viewer sees: the trend chart. */
  trend: { userId: string; name: string; scores: (number | null)[] }[];
}

export async function managersPage(store: Store, v: Viewer, q: z.infer<typeof managersQuery>): Promise<ManagersPage> {
  const run = await latestRun(store, v.account, 'kpi');
  const periods = ((run?.summary as { periods?: string[] } | undefined)?.periods ?? []).slice();
  const rows = ((run?.results ?? []) as KpiResult[]).filter((r) => sees(v, r.userId));
  // The last complete period by default: the current one has only just begun.
  const period = q.period && periods.includes(q.period) ? q.period : (periods.at(-2) ?? periods.at(-1) ?? null);
  const rating = rows
    .filter((r) => r.period === period)
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.name.localeCompare(b.name, 'ru'));
  const byUser = new Map<string, { userId: string; name: string; scores: (number | null)[] }>();
  for (const r of rows) {
    const t = byUser.get(r.userId) ?? { userId: r.userId, name: r.name, scores: periods.map(() => null) };
    t.scores[periods.indexOf(r.period)] = r.score;
    byUser.set(r.userId, t);
  }
  return { run: run ? runInfo(run) : null, periods, period, rating, trend: [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name, 'ru')) };
}
