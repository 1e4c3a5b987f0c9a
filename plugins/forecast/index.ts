import { definePlugin, normalQuantile } from '../../src/sdk/index.js';
import { forecastConfig } from './config.js';
import { newLeadWins, smoothed } from './model.js';
import * as q from './sql.js';

export interface ForecastRow {
  kind: 'stage' | 'channel';
  id: string;
  /** Stage: open deals in it; channel: leads expected in the rest of the quarter. */
  count: number;
  /** Probability an open deal of the stage wins, and wins within the quarter; channel: lead-to-win conversion. */
  probability: number;
  inQuarter: number;
  /** Expected revenue from this stage or channel in the quarter, rounded to roubles. */
  expected: number;
  /** Channel: revenue one more lead created now is worth in this quarter, and leads that would close the gap. */
  valuePerLead?: number;
  leadsToCloseGap?: number | null;
}

const DAY = 86_400_000;
const rub = (x: number) => Math.round(x);

/** Revenue expected this quarter: won so far, the weighted pipeline, and leads not yet created; with a range. */
export const forecast = definePlugin<typeof forecastConfig, ForecastRow>({
  id: 'forecast',
  config: forecastConfig,
  reads: ['users', 'stages', 'deals', 'leads', 'stage_changes'],
  writes: [{ kind: 'task', policy: 'always', description: 'the quarter forecast, its range and the shortfall, to the head of sales (weekly)' }],
  async run(ctx) {
    const c = ctx.config;
    const base = [ctx.now.toISOString(), c.timezone, c.currency, c.historyDays];
    const [quarter] = await ctx.read.sql<{ label: string; start_ms: number; end_ms: number; won: string }>(q.quarterSql, base);
    const { label, end_ms, won } = quarter!;
    const daysLeft = Math.max(0, (end_ms - ctx.now.getTime()) / DAY);
    const quarterDays = (end_ms - quarter!.start_ms) / DAY;
    const [stages, channels, [cap], heads] = await Promise.all([
      ctx.read.sql<{ stage: string; deals: number; amount: string; amount2: number; n: number; won: number; won_in_time: number }>(q.pipelineSql, [base[0], c.currency, c.historyDays, daysLeft]),
      ctx.read.sql<{ channel: string; leads: number; recent: number; won: number; revenue: string; cycle: number[] | null }>(q.channelsSql, [base[0], c.currency, c.historyDays, c.leadRateDays]),
      ctx.read.sql<{ closed: number; won: number; won_in_currency: number; revenue: string; manager_quarters: number; active_managers: number }>(q.capacitySql, base),
      c.notify.length ? Promise.resolve(c.notify.map((id) => ({ id }))) : ctx.read.sql<{ id: string }>(q.headsSql),
    ]);
    const rows: ForecastRow[] = [];
    let expected = Number(won);
    let variance = 0;
    for (const s of stages) {
      // Wins within the time left, among deals that reached the stage: both the chance and the timing.
      const p = smoothed(s.won, s.n);
      const inQuarter = s.won ? s.won_in_time / s.won : 0;
      const pq = p * inQuarter;
      const e = Number(s.amount) * pq;
      expected += e;
      variance += s.amount2 * pq * (1 - pq);
      rows.push({ kind: 'stage', id: s.stage, count: s.deals, probability: round(p), inQuarter: round(inQuarter), expected: rub(e) });
    }
    const pipeline = expected - Number(won);
    const plan = Number(c.plans[label] ?? c.plan ?? 0);
    const channelRows = channels.map((ch) => {
      const perDay = ch.recent / c.leadRateDays;
      const conversion = ch.leads ? ch.won / ch.leads : 0;
      const check = ch.won ? Number(ch.revenue) / ch.won : 0;
      const { wins, winsPerLead } = newLeadWins(perDay, conversion, ch.cycle, daysLeft);
      return { ch, perDay, conversion, check, wins, valuePerLead: winsPerLead * check };
    });
    let fromNewLeads = 0;
    for (const r of channelRows) {
      fromNewLeads += r.wins * r.check;
      // Compound Poisson: the variance of a sum of a random number of wins of about `check` each.
      variance += r.wins * r.check * r.check;
    }
    expected += fromNewLeads;
    const gap = Math.max(0, plan - expected);
    for (const r of channelRows) {
      rows.push({
        kind: 'channel',
        id: r.ch.channel,
        count: Math.round(r.perDay * daysLeft),
        probability: round(r.conversion),
        inQuarter: round(r.conversion ? r.valuePerLead / (r.conversion * r.check || 1) : 0),
        expected: rub(r.wins * r.check),
        valuePerLead: rub(r.valuePerLead),
        leadsToCloseGap: gap > 0 && r.valuePerLead > 0 ? Math.ceil(gap / r.valuePerLead) : gap > 0 ? null : 0,
      });
    }
    const z = normalQuantile(0.5 + c.confidence / 2);
    const sd = Math.sqrt(variance);
    const range = { low: rub(Math.max(Number(won), expected - z * sd)), high: rub(expected + z * sd), confidence: c.confidence };
    const capacity = capacityCheck(cap!, gap, daysLeft, quarterDays);
    const summary = {
      quarter: label,
      daysLeft: round(daysLeft, 1),
      plan: plan ? String(c.plans[label] ?? c.plan) : null,
      won,
      pipeline: rub(pipeline),
      fromNewLeads: rub(fromNewLeads),
      expected: rub(expected),
      range,
      gap: rub(gap),
      attainment: plan ? round(expected / plan) : null,
      capacity,
    };
    const week = Math.floor((ctx.now.getTime() - quarter!.start_ms) / (7 * DAY)) + 1;
    const writes = heads.map(({ id }) => ({
      key: `forecast:task:${label}:w${week}:${id}`,
      adapter: ctx.host,
      kind: 'task',
      payload: report(summary, rows, id),
    }));
    return { results: rows, summary, writes };
  },
});

const round = (x: number, digits = 4) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Deals the team can close in the days left, from what a manager closed per quarter, against what the gap needs. */
function capacityCheck(
  cap: { closed: number; won: number; won_in_currency: number; revenue: string; manager_quarters: number; active_managers: number },
  gap: number,
  daysLeft: number,
  quarterDays: number,
) {
  const perManager = cap.manager_quarters ? cap.closed / cap.manager_quarters : 0;
  const winRate = cap.closed ? cap.won / cap.closed : 0;
  const check = cap.won_in_currency ? Number(cap.revenue) / cap.won_in_currency : 0;
  const perManagerLeft = (perManager * daysLeft) / quarterDays;
  const needed = gap > 0 && winRate && check ? gap / (winRate * check) : 0;
  const can = cap.active_managers * perManagerLeft;
  const missing = perManagerLeft > 0 && needed > can ? Math.ceil((needed - can) / perManagerLeft) : 0;
  return {
    activeManagers: cap.active_managers,
    dealsPerManagerPerQuarter: round(perManager, 1),
    winRate: round(winRate),
    averageCheck: Math.round(check),
    dealsToCloseGap: Math.ceil(needed),
    dealsTeamCanClose: Math.floor(can),
    managersMissing: missing,
  };
}

const money = (x: number) => `${new Intl.NumberFormat('ru-RU').format(Math.round(x))} ₽`;

function report(s: { quarter: string; expected: number; range: { low: number; high: number; confidence: number }; won: string; pipeline: number; fromNewLeads: number; plan: string | null; gap: number; capacity: { managersMissing: number } }, rows: ForecastRow[], head: string) {
  const title = `Прогноз на ${s.quarter}: ${money(s.expected)} (${money(s.range.low)} – ${money(s.range.high)})`;
  const short = rows
    .filter((r) => r.kind === 'channel' && r.leadsToCloseGap)
    .map((r) => `${r.id}: ещё ${r.leadsToCloseGap} лидов`)
    .join('; ');
  const text = [
    `Уже выиграно: ${money(Number(s.won))}; взвешенная воронка: ${money(s.pipeline)}; из будущих лидов: ${money(s.fromNewLeads)}.`,
    s.plan ? `План: ${money(Number(s.plan))}; не хватает: ${money(s.gap)}.` : 'План не задан.',
    short ? `Чтобы закрыть разрыв (по одному каналу): ${short}.` : '',
    s.capacity.managersMissing ? `Менеджеров не хватает: ${s.capacity.managersMissing}.` : '',
    `Диапазон: ${Math.round(s.range.confidence * 100)}% вероятности.`,
  ]
    .filter(Boolean)
    .join('\n');
  return { title: title.slice(0, 250), description: text, responsibleId: head };
}
