import { definePlugin, named, type PlannedWrite } from '../../src/sdk/index.js';
import { adConfig, attributionModels, defaultAliases, type AdConfig, type AttributionModel } from './config.js';
import * as q from './sql.js';
import { assignHoldout, computeUplift, divideKopecks, formatKopecks, kopecksOf } from './uplift.js';

type ModelFigures = Record<AttributionModel, { won: number; revenue: string }>;

export type AdResult =
  | ({ kind: 'channel'; channel: string; campaign: string; leads: number; deals: number; won: number; revenue: string; spend: string; clicks: number; impressions: number; cycleDays: number | null; models: ModelFigures } & Ratios)
  | { kind: 'manager'; channel: string; manager: string | null; leads: number; won: number; revenue: string }
  | { kind: 'funnel'; channel: string; pipeline: string; stages: { stage: string; name: string; reached: number; conversion: number | null }[] }
  | { kind: 'cohort'; cohort: string; contacts: number; months: { month: number; won: number; revenue: string }[] };

interface Ratios {
  cpl: number | null;
  cpo: number | null;
  cac: number | null;
  romi: number | null;
  roas: number | null;
  drr: number | null;
  averageCheck: number | null;
}

const div = (a: number, b: number, digits = 4) => (b ? Math.round((a / b) * 10 ** digits) / 10 ** digits : null);

function ratios(spend: number, revenue: number, leads: number, deals: number, won: number): Ratios {
  return {
    cpl: div(spend, leads, 2),
    cpo: div(spend, deals, 2),
    cac: div(spend, won, 2),
    romi: div(revenue - spend, spend),
    roas: div(revenue, spend),
    drr: div(spend, revenue),
    averageCheck: div(revenue, won, 2),
  };
}

function params(c: AdConfig, now: Date): Record<string, unknown> {
  const merged: Record<string, string[]> = { ...defaultAliases, ...c.aliases };
  const aliases = Object.entries(merged).flatMap(([ch, list]) => list.map((a) => [a.trim().toLowerCase(), ch] as const));
  return {
    now: now.toISOString(),
    days: c.days,
    currency: c.currency,
    aliases: aliases.map(([a]) => a),
    aliasChannels: aliases.map(([, ch]) => ch),
    vkeys: Object.keys(c.visitorIds),
    vchannels: Object.values(c.visitorIds),
    halfLife: c.halfLifeDays,
    tz: c.timezone,
    model: c.model,
    recentDays: c.writeBack.days,
    since: c.holdout.since ?? '1970-01-01',
    windowDays: c.holdout.windowDays,
  };
}

/** End-to-end ad analytics: spend to leads to every stage to revenue, by channel and campaign, under any attribution model. */
export const adAnalytics = definePlugin<typeof adConfig, AdResult>({
  id: 'ad-analytics',
  config: adConfig,
  reads: ['users', 'stages', 'leads', 'deals', 'contacts', 'stage_changes', 'ad_campaigns', 'ad_spend'],
  writes: [
    { kind: 'field', policy: 'if_changed', description: 'channel (CHAN), campaign (CAMP) and attributed cost (COST) on recent deals' },
    { kind: 'field', policy: 'if_empty', description: 'the control-group label (GROUP) on contacts of a holdout experiment' },
  ],
  async run(ctx) {
    const c = ctx.config;
    const values = params(c, ctx.now);
    const sql = <R>(text: string) => {
      const [t, p] = named(text, values);
      return ctx.read.sql<R>(t, p);
    };
    const channels = await sql<Record<string, string | number | null>>(q.channelsSql);
    const results: AdResult[] = [];
    // Money summed in kopecks, exactly; only ratios are doubles.
    const totals = { spend: 0n, revenue: 0n, leads: 0, deals: 0, won: 0 };
    const comparison = Object.fromEntries(attributionModels.map((m) => [m, { won: 0, revenue: 0n }])) as Record<AttributionModel, { won: number; revenue: bigint }>;
    const costPerDeal = new Map<string, string>();
    for (const r of channels) {
      const models = Object.fromEntries(
        attributionModels.map((m) => [m, { won: Math.round(Number(r[`won_${m}`]) * 1000) / 1000, revenue: String(r[`revenue_${m}`]) }]),
      ) as ModelFigures;
      const chosen = models[c.model];
      const spend = Number(r.spend);
      const [leads, deals] = [Number(r.leads), Number(r.deals)];
      results.push({
        kind: 'channel', channel: String(r.channel), campaign: String(r.campaign), leads, deals, won: chosen.won, revenue: chosen.revenue,
        spend: String(r.spend), clicks: Number(r.clicks), impressions: Number(r.impressions), cycleDays: r.cycle_days === null ? null : Math.round(Number(r.cycle_days) * 10) / 10,
        ...ratios(spend, Number(chosen.revenue), leads, deals, chosen.won), models,
      });
      const spendKopecks = kopecksOf(String(r.spend), 'spend');
      totals.spend += spendKopecks;
      totals.revenue += kopecksOf(chosen.revenue, 'revenue');
      totals.leads += leads;
      totals.deals += deals;
      totals.won += chosen.won;
      for (const m of attributionModels) {
        comparison[m].won += models[m].won;
        comparison[m].revenue += kopecksOf(models[m].revenue, 'revenue');
      }
      if (deals && spendKopecks) costPerDeal.set(`${r.channel}|${r.campaign}`, formatKopecks(divideKopecks(spendKopecks, deals)));
    }
    for (const r of await sql<{ channel: string; manager: string | null; leads: number; won: number; revenue: string }>(q.byManagerSql)) {
      results.push({ kind: 'manager', channel: r.channel, manager: r.manager, leads: r.leads, won: Math.round(r.won * 1000) / 1000, revenue: r.revenue });
    }
    const funnel = new Map<string, { channel: string; pipeline: string; stages: { stage: string; name: string; reached: number; conversion: number | null }[] }>();
    for (const f of await sql<{ channel: string; pipeline: string; stage: string; name: string; reached: number }>(q.funnelSql)) {
      const key = `${f.channel}\u0000${f.pipeline}`;
      const one = funnel.get(key) ?? { channel: f.channel, pipeline: f.pipeline, stages: [] };
      const prev = one.stages.at(-1);
      one.stages.push({ stage: f.stage, name: f.name, reached: f.reached, conversion: prev ? div(f.reached, prev.reached) : null });
      funnel.set(key, one);
    }
    for (const f of funnel.values()) results.push({ kind: 'funnel', ...f });
    const cohorts = new Map<string, { contacts: number; months: { month: number; won: number; revenue: string }[] }>();
    for (const r of await sql<{ cohort: string; month: number; contacts: number; won: number; revenue: string }>(q.cohortsSql)) {
      const x = cohorts.get(r.cohort) ?? { contacts: r.contacts, months: [] };
      x.months.push({ month: r.month, won: r.won, revenue: r.revenue });
      cohorts.set(r.cohort, x);
    }
    for (const [cohort, x] of cohorts) results.push({ kind: 'cohort', cohort, ...x });
    const unknown = await sql<{ manager: string | null; leads: number; deals: number; examples: string[] }>(q.unknownSql);

    const writes: PlannedWrite[] = [];
    if (c.writeBack.enabled) {
      for (const d of await sql<{ id: string; channel: string; campaign: string }>(q.recentDealsSql)) {
        // Nothing to say about a deal whose source is unknown: the audit lists it instead.
        if (d.channel === 'unknown') continue;
        const fields: [string, string | null][] = [['CHAN', d.channel], ['CAMP', d.campaign || null], ['COST', costPerDeal.get(`${d.channel}|${d.campaign}`) ?? null]];
        for (const [field, value] of fields) {
          if (value === null) continue;
          // if_changed: a new value is a new key; if_empty: one key per field, so the first value stays.
          const key = c.writeBack.policy === 'if_changed' ? `ad:deal:${d.id}:${field}:${value}` : `ad:deal:${d.id}:${field}`;
          writes.push({ key, adapter: ctx.host, kind: 'field', payload: { entity: 'deal', id: d.id, field, value, label: labels[field] } });
        }
      }
    }
    const uplift = c.holdout.enabled && c.holdout.since ? await holdout(c, sql, ctx.host, writes) : null;
    const summary = {
      model: c.model,
      days: c.days,
      totals: {
        spend: formatKopecks(totals.spend),
        revenue: formatKopecks(totals.revenue),
        leads: totals.leads,
        deals: totals.deals,
        won: Math.round(totals.won * 1000) / 1000,
        ...ratios(Number(totals.spend) / 100, Number(totals.revenue) / 100, totals.leads, totals.deals, totals.won),
      },
      comparison: attributionModels.map((m) => ({ model: m, won: Math.round(comparison[m].won * 1000) / 1000, revenue: formatKopecks(comparison[m].revenue) })),
      unknown,
      uplift,
    };
    return { results, summary, writes };
  },
});

const labels: Record<string, { ru: string; en: string }> = {
  CHAN: { ru: 'Канал (Сводка)', en: 'Channel (svodka)' },
  CAMP: { ru: 'Кампания (Сводка)', en: 'Campaign (svodka)' },
  COST: { ru: 'Стоимость привлечения (Сводка)', en: 'Acquisition cost (svodka)' },
  GROUP: { ru: 'Группа эксперимента (Сводка)', en: 'Experiment group (svodka)' },
};

async function holdout(c: AdConfig, sql: <R>(text: string) => Promise<R[]>, host: string, writes: PlannedWrite[]) {
  const h = c.holdout;
  const group = (id: string) => assignHoldout(id, { salt: h.salt, share: h.share });
  const counts = { control: { n: 0, conversions: 0, revenue: 0n }, treatment: { n: 0, conversions: 0, revenue: 0n } };
  for (const r of await sql<{ id: string; converted: boolean; revenue: string }>(q.holdoutSql)) {
    const g = group(r.id) === 'holdout' ? counts.control : counts.treatment;
    g.n++;
    if (r.converted) g.conversions++;
    g.revenue += kopecksOf(r.revenue, 'revenue');
  }
  const [{ spend } = { spend: '0' }] = await sql<{ spend: string }>(q.holdoutSpendSql);
  for (const { id } of await sql<{ id: string }>(q.holdoutRecentSql)) {
    writes.push({ key: `ad:holdout:${h.salt}:${id}`, adapter: host, kind: 'field', payload: { entity: 'contact', id, field: h.field, value: group(id), label: labels.GROUP } });
  }
  const input = {
    control: { n: counts.control.n, conversions: counts.control.conversions, revenue: formatKopecks(counts.control.revenue) },
    treatment: { n: counts.treatment.n, conversions: counts.treatment.conversions, revenue: formatKopecks(counts.treatment.revenue) },
  };
  return { since: h.since, share: h.share, windowDays: h.windowDays, groups: input, spend, ...computeUplift(input, { adSpend: spend }) };
}
