import { z } from 'zod';
import type { Store } from '../../store/index.js';
import { companyWide, sees, type Viewer } from '../viewer.js';
import { decimal, kopecks, ratio } from '../money.js';
import { attributionModels, type AttributionModel } from '../../../plugins/ad-analytics/config.js';
import type { AdResult } from '../../../plugins/ad-analytics/index.js';
import type { UpliftInput, UpliftResult } from '../../../plugins/ad-analytics/uplift.js';

/** The holdout figures the run's summary carries (see the plugin's `holdout`). */
export type HoldoutSummary = UpliftResult & { since: string; share: number; groups: UpliftInput };
import { latestRun, runInfo, userNames, type RunInfo } from './runs.js';

export { attributionModels };
export const adsQuery = z.object({ model: z.enum(attributionModels).optional(), channel: z.string().max(100).optional(), pipeline: z.string().max(100).optional() });

type ChannelResult = Extract<AdResult, { kind: 'channel' }>;
type ManagerResult = Extract<AdResult, { kind: 'manager' }>;
type FunnelResult = Extract<AdResult, { kind: 'funnel' }>;

export interface ChannelRow {
  channel: string;
  campaign: string;
  spend: string;
  clicks: number;
  leads: number;
  deals: number;
  won: number;
  revenue: string;
  cpl: string | null;
  romi: number | null;
  roas: number | null;
  drr: number | null;
  cycleDays: number | null;
}

export interface AdsPage {
  run: RunInfo | null;
  model: string;
  /** Company-wide figures: admins only. */
  channels: ChannelRow[] | null;
  totals: { spend: string; revenue: string; leads: number; won: number; romi: number | null } | null;
  comparison: { model: string; won: number; revenue: string }[] | null;
  funnel: { channel: string; pipeline: string; pipelineName: string; choices: { channel: string; pipeline: string; pipelineName: string }[]; stages: FunnelResult['stages'] } | null;
  uplift: HoldoutSummary | null;
  /** Per manager over every channel, the biggest earners first. */
  managers: { manager: string | null; name: string; channels: number; leads: number; won: number; revenue: string }[];
  unknown: { manager: string | null; name: string; leads: number; deals: number }[];
}

/** One channel x campaign under the chosen attribution model: ROMI = (revenue - spend) / spend, exact money. */
function channelRow(r: ChannelResult, model: AttributionModel): ChannelRow {
  const f = r.models[model];
  const spend = kopecks(r.spend);
  const revenue = kopecks(f.revenue);
  return {
    channel: r.channel,
    campaign: r.campaign,
    spend: decimal(spend),
    clicks: r.clicks,
    leads: r.leads,
    deals: r.deals,
    won: f.won,
    revenue: decimal(revenue),
    cpl: r.leads && spend ? decimal((spend * 2n + BigInt(r.leads)) / (2n * BigInt(r.leads))) : null,
    romi: ratio(revenue - spend, spend),
    roas: ratio(revenue, spend),
    drr: ratio(spend, revenue),
    cycleDays: r.cycleDays,
  };
}

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function byManager(rows: ManagerResult[], names: Map<string, string>): AdsPage['managers'] {
  const m = new Map<string, { manager: string | null; channels: number; leads: number; won: number; revenue: bigint }>();
  for (const r of rows) {
    const x = m.get(r.manager ?? '') ?? { manager: r.manager, channels: 0, leads: 0, won: 0, revenue: 0n };
    x.channels += 1;
    x.leads += r.leads;
    x.won += r.won;
    x.revenue += kopecks(r.revenue);
    m.set(r.manager ?? '', x);
  }
  return [...m.values()]
    .sort((a, b) => cmp(b.revenue, a.revenue) || (a.manager ?? '').localeCompare(b.manager ?? ''))
    .map((x) => ({ ...x, name: x.manager ? (names.get(x.manager) ?? x.manager) : '—', won: Math.round(x.won * 1000) / 1000, revenue: decimal(x.revenue) }));
}

export async function adsPage(store: Store, v: Viewer, q: z.infer<typeof adsQuery>): Promise<AdsPage> {
  const run = await latestRun(store, v.account, 'ad-analytics');
  const summary = (run?.summary ?? {}) as { model?: AttributionModel; uplift?: HoldoutSummary | null; unknown?: { manager: string | null; leads: number; deals: number }[] };
  const model = q.model ?? summary.model ?? 'last_touch';
  const results = (run?.results ?? []) as AdResult[];
  const names = await userNames(store, v.account);
  // Company-wide figures (every channel, the funnel, the holdout) are for admins and the director;
  // heads and managers see the manager rows of the people they may see.
  const wide = companyWide(v);
  // Paid channels first, by spend; the rest by revenue.
  const channels = results
    .filter((r): r is ChannelResult => r.kind === 'channel')
    .map((r) => channelRow(r, model))
    .sort((a, b) => cmp(kopecks(b.spend), kopecks(a.spend)) || cmp(kopecks(b.revenue), kopecks(a.revenue)) || a.channel.localeCompare(b.channel) || a.campaign.localeCompare(b.campaign));
  let spend = 0n;
  let revenue = 0n;
  // ROMI over the channels that cost something: revenue from referrals or calls is not a return on ad spend.
  let paidRevenue = 0n;
  for (const c of channels) {
    spend += kopecks(c.spend);
    revenue += kopecks(c.revenue);
    if (kopecks(c.spend) > 0n) paidRevenue += kopecks(c.revenue);
  }
  const comparison = attributionModels.map((m) => {
    let rev = 0n;
    let won = 0;
    for (const r of results) if (r.kind === 'channel') {
      rev += kopecks(r.models[m].revenue);
      won += r.models[m].won;
    }
    return { model: m, won: Math.round(won * 1000) / 1000, revenue: decimal(rev) };
  });
  const funnels = results.filter((r): r is FunnelResult => r.kind === 'funnel');
  const chosen = funnels.find((f) => f.channel === q.channel && (q.pipeline === undefined || f.pipeline === q.pipeline)) ?? funnels[0];
  const pipelines = new Map(
    (await store.db.query<{ id: string; name: string }>('SELECT external_id AS id, name FROM pipelines WHERE account_id = $1', [v.account])).rows.map((p) => [p.id, p.name]),
  );
  const pname = (id: string) => pipelines.get(id) ?? id;
  return {
    run: run ? runInfo(run) : null,
    model,
    channels: wide ? channels : null,
    totals: wide ? { spend: decimal(spend), revenue: decimal(revenue), leads: channels.reduce((a, c) => a + c.leads, 0), won: Math.round(channels.reduce((a, c) => a + c.won, 0) * 1000) / 1000, romi: ratio(paidRevenue - spend, spend) } : null,
    comparison: wide ? comparison : null,
    funnel: wide && chosen
      ? { channel: chosen.channel, pipeline: chosen.pipeline, pipelineName: pname(chosen.pipeline), choices: funnels.map((f) => ({ channel: f.channel, pipeline: f.pipeline, pipelineName: pname(f.pipeline) })), stages: chosen.stages }
      : null,
    uplift: wide ? (summary.uplift ?? null) : null,
    managers: byManager(results.filter((r): r is ManagerResult => r.kind === 'manager' && sees(v, r.manager)), names),
    unknown: (summary.unknown ?? []).filter((u) => sees(v, u.manager)).map((u) => ({ ...u, name: u.manager ? (names.get(u.manager) ?? u.manager) : '' })),
  };
}
