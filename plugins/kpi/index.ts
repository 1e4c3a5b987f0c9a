import { definePlugin } from '../../src/sdk/index.js';
import { defaultWeights, kpiConfig, kpiIds, type KpiId } from './config.js';
import { scorePeriod, type Contribution, type Kpis } from './score.js';
import * as q from './sql.js';
import { headTasks, type Rated } from './writes.js';

/** One manager in one period, as `svodka run kpi --json` prints it. */
export interface KpiResult {
  userId: string;
  name: string;
  period: string;
  /** 0..100, or null when the manager has too little data in the period to be ranked. */
  score: number | null;
  rank: number | null;
  /** Won revenue in the account's currency, exact. */
  revenue: string;
  kpis: Kpis;
  contributions: Contribution[];
  note?: { ru: string; en: string };
}

type Row = { user_id: string; period: string } & Record<string, unknown>;

const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const round = (x: number | null, digits = 4) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

export const kpi = definePlugin<typeof kpiConfig, KpiResult>({
  id: 'kpi',
  config: kpiConfig,
  reads: ['users', 'departments', 'stages', 'deals', 'leads', 'activities'],
  writes: [{ kind: 'task', policy: 'always', description: 'the rating of the last complete period, with each score explained, to each department head' }],
  async run(ctx) {
    const c = ctx.config;
    const base = [ctx.now.toISOString(), c.timezone, c.period, q.labelFormat(c.period), c.periods];
    const [periods, leads, closed, created, acts, due, stale, users] = await Promise.all([
      ctx.read.sql<{ period: string }>(q.periodsSql, base),
      ctx.read.sql<Row>(q.leadsSql, base),
      ctx.read.sql<Row>(q.closedSql, [...base, c.currency]),
      ctx.read.sql<Row>(q.createdSql, base),
      ctx.read.sql<Row>(q.activitySql(c), base),
      ctx.read.sql<Row>(q.dueSql, base),
      ctx.read.sql<Row>(q.staleSql, [...base.slice(0, 4), c.staleDays]),
      ctx.read.sql<{ id: string; name: string; active: boolean; department_ids: string[]; manager_id: string | null; head_id: string | null }>(q.usersSql),
    ]);
    const key = (r: Row) => `${r.user_id}|${r.period}`;
    const index = (rows: Row[]) => new Map(rows.map((r) => [key(r), r]));
    const [L, C, N, A, D, S] = [leads, closed, created, acts, due, stale].map(index) as Map<string, Row>[];
    const weights = { ...defaultWeights, ...c.weights } as Record<KpiId, number>;
    const results: KpiResult[] = [];
    for (const { period } of periods) {
      const rows: { userId: string; name: string; kpis: Kpis; records: number; revenue: string }[] = [];
      for (const u of users) {
        const k = `${u.id}|${period}`;
        const l = L!.get(k);
        const cl = C!.get(k);
        const cr = N!.get(k);
        const a = A!.get(k);
        const d = D!.get(k);
        const s = S!.get(k);
        const records = Number(l?.leads ?? 0) + Number(cr?.created ?? 0) + Number(cl?.won ?? 0) + Number(cl?.lost ?? 0);
        if (!records && !u.active) continue;
        const revenue = cl ? Number(cl.revenue) : 0;
        const plan = c.plans[u.id]?.[period] ?? c.defaultPlan;
        const won = Number(cl?.won ?? 0);
        const kpis: Kpis = {
          leads: Number(l?.leads ?? 0),
          firstContactHours: round((l?.first_contact_hours as number | null) ?? null, 2),
          activityScore: round(Number(a?.activity_score ?? 0), 2),
          leadToDeal: round(l ? ratio(Number(l.converted), Number(l.leads)) : null),
          dealToWon: round(cl ? ratio(won, won + Number(cl.lost)) : null),
          revenue,
          attainment: round(plan && Number(plan) > 0 ? Math.min(revenue / Number(plan), c.attainmentCap) : null),
          averageCheck: won && cl ? round(revenue / Number(cl.won_in_currency || 1), 2) : null,
          cycleDays: round((cl?.cycle_days as number | null) ?? null, 2),
          overdueShare: round(d ? ratio(Number(d.overdue), Number(d.due)) : null),
          staleShare: round(s ? ratio(Number(s.stale), Number(s.open)) : null),
          completeness: round(cr ? ratio(Number(cr.complete), Number(cr.created)) : null),
        };
        rows.push({ userId: u.id, name: u.name, kpis, records, revenue: cl ? String(cl.revenue) : '0' });
      }
      const ranked = rows.filter((r) => r.records >= c.minRecords);
      const scores = scorePeriod(ranked, c, weights);
      for (const r of rows) {
        const s = scores.get(r.userId);
        results.push({
          userId: r.userId,
          name: r.name,
          period,
          score: s ? Math.round(s.score * 10) / 10 : null,
          rank: s?.rank ?? null,
          revenue: r.revenue,
          kpis: r.kpis,
          contributions: s?.contributions.map((x) => ({ ...x, normalized: round(x.normalized)!, points: Math.round(x.points * 100) / 100 })) ?? [],
          ...(s ? {} : { note: { ru: `Мало данных за период: ${r.records} из ${c.minRecords}`, en: `Too little data in the period: ${r.records} of ${c.minRecords}` } }),
        });
      }
    }
    results.sort((a, b) => a.period.localeCompare(b.period) || (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.userId.localeCompare(b.userId, 'en', { numeric: true }));
    const lastComplete = periods.at(-2)?.period;
    const writes = c.notifyHeads && lastComplete ? headTasks(results.filter((r) => r.period === lastComplete) as Rated[], users, ctx.host, lastComplete) : [];
    return { results, summary: { periods: periods.map((p) => p.period), kpis: kpiIds, weights }, writes };
  },
});
