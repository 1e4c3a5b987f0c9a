/**
 * The SQL of ad analytics, set-based, with named parameters (sdk `named`): :now the run's instant, :days
 * the window, :currency, :aliases and :aliasChannels (channel aliases), :vkeys and :vchannels (visitor-id
 * keys), :halfLife (time decay, days), :tz the company's time zone, :model the chosen attribution model.
 */
const win = (x: string) => `${x} >= :now::timestamptz - make_interval(days => :days::int) AND ${x} <= :now::timestamptz`;

/** Leads and deals with their channel (alias, else visitor id, else the raw source, else "unknown") and campaign. */
const marked = `
aliases AS (SELECT * FROM unnest(:aliases::text[], :aliasChannels::text[]) AS m(alias, channel)),
vkeys AS (SELECT * FROM unnest(:vkeys::text[], :vchannels::text[]) AS v(key, channel)),
camps AS (
  SELECT external_id, platform::text AS platform, lower(trim(coalesce(utm_campaign, name))) AS key FROM ad_campaigns
),
raw AS (
  SELECT 'lead' AS kind, l.external_id AS id, l.contact_id, l.responsible_id, l.created_at, NULL::timestamptz AS closed_at,
         NULL::text AS stage_id, NULL::text AS pipeline_id, NULL::numeric AS amount, NULL::text AS currency,
         l.utm_source, l.source_id, l.visitor_ids, lower(trim(l.utm_campaign)) AS campaign FROM leads l
  UNION ALL
  SELECT 'deal', d.external_id, d.contact_id, d.responsible_id, d.created_at, d.closed_at, d.stage_id, d.pipeline_id, d.amount, d.currency,
         d.utm_source, d.source_id, d.visitor_ids, lower(trim(d.utm_campaign)) FROM deals d
),
marked AS (
  SELECT r.kind, r.id, r.contact_id, r.responsible_id, r.created_at, r.closed_at, r.stage_id, r.pipeline_id, r.amount, r.currency,
         coalesce(ma.channel, mv.channel, lower(trim(coalesce(r.utm_source, r.source_id))), 'unknown') AS channel,
         -- A campaign's UTM value may be shared by campaigns of several platforms: tested with EXISTS, not
         -- joined, or the record would be counted once per such campaign.
         coalesce(CASE WHEN EXISTS (SELECT 1 FROM camps c1 WHERE c1.key = r.campaign) THEN r.campaign END, c2.key, r.campaign, '') AS campaign, s.semantics
  FROM raw r
  LEFT JOIN aliases ma ON ma.alias = lower(trim(coalesce(r.utm_source, r.source_id)))
  LEFT JOIN LATERAL (SELECT v.channel FROM vkeys v WHERE r.visitor_ids ? v.key ORDER BY v.key LIMIT 1) mv ON r.visitor_ids IS NOT NULL
  LEFT JOIN camps c2 ON c2.external_id = r.campaign
  LEFT JOIN stages s ON s.external_id = r.stage_id AND s.entity = 'deal'
)`;

/**
 * Won deals of the window and the touches of their contact up to the win (leads and deals, oldest
 * first; a deal without a contact is its own only touch), with the weight each attribution model
 * gives each touch. One pass gives every model, so that they can be compared side by side.
 */
const weighted = `
won AS (SELECT * FROM marked WHERE kind = 'deal' AND semantics = 'won' AND currency = :currency AND ${win('closed_at')}),
paths AS (
  SELECT w.id AS deal, w.amount, w.closed_at, w.responsible_id, t.created_at AS at, t.channel, t.campaign, t.kind || t.id AS touch
  FROM won w JOIN marked t ON t.contact_id = w.contact_id AND t.created_at <= w.closed_at
  WHERE w.contact_id IS NOT NULL
  UNION ALL
  SELECT w.id, w.amount, w.closed_at, w.responsible_id, w.created_at, w.channel, w.campaign, 'deal' || w.id FROM won w WHERE w.contact_id IS NULL
),
ranked AS (
  SELECT p.*, row_number() OVER (PARTITION BY deal ORDER BY at, touch) AS k, count(*) OVER (PARTITION BY deal) AS n,
         power(0.5, extract(epoch FROM closed_at - at) / 86400 / :halfLife::float8) AS decay
  FROM paths p
),
ranked2 AS (
  SELECT r.*, max(k) FILTER (WHERE channel <> 'unknown') OVER (PARTITION BY deal) AS lnd, sum(decay) OVER (PARTITION BY deal) AS decay_sum FROM ranked r
),
weights AS (
  SELECT deal, amount, responsible_id, channel, campaign, at, closed_at,
         (k = 1)::int::numeric AS first_touch,
         (k = n)::int::numeric AS last_touch,
         (k = coalesce(lnd, n))::int::numeric AS last_non_direct,
         1.0 / n AS linear,
         CASE WHEN n = 1 THEN 1.0 WHEN n = 2 THEN 0.5 WHEN k = 1 OR k = n THEN 0.4 ELSE 0.2 / (n - 2) END AS position_based,
         (decay / decay_sum)::numeric AS time_decay
  FROM ranked2
)`;

const models = ['first_touch', 'last_touch', 'last_non_direct', 'linear', 'position_based', 'time_decay'];
const perModel = models.map((m) => `round(sum(amount * ${m}), 2)::text AS revenue_${m}, sum(${m})::float8 AS won_${m}`).join(',\n       ');

/** Per channel and campaign: leads, deals, own wins and cycle, attributed wins and revenue under every model, spend. */
export const channelsSql = `
WITH ${marked}, ${weighted},
counts AS (
  SELECT channel, campaign, count(*) FILTER (WHERE kind = 'lead')::int AS leads, count(*) FILTER (WHERE kind = 'deal')::int AS deals
  FROM marked WHERE ${win('created_at')} GROUP BY 1, 2
),
attributed AS (SELECT channel, campaign, ${perModel} FROM weights GROUP BY 1, 2),
cycles AS (
  SELECT channel, campaign, (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at) / 86400))::float8 AS cycle_days
  FROM won GROUP BY 1, 2
),
spend AS (
  SELECT s.platform::text AS channel, coalesce(c.key, lower(s.campaign_id)) AS campaign, round(sum(s.cost), 2)::text AS spend,
         sum(s.clicks)::int AS clicks, sum(s.impressions)::int AS impressions
  FROM ad_spend s LEFT JOIN camps c ON c.external_id = s.campaign_id AND c.platform = s.platform::text
  WHERE s.currency = :currency AND s.day >= (:now::timestamptz AT TIME ZONE :tz)::date - :days::int AND s.day <= (:now::timestamptz AT TIME ZONE :tz)::date
  GROUP BY 1, 2
),
keys AS (SELECT channel, campaign FROM counts UNION SELECT channel, campaign FROM attributed UNION SELECT channel, campaign FROM spend)
SELECT k.channel, k.campaign, coalesce(n.leads, 0) AS leads, coalesce(n.deals, 0) AS deals, coalesce(sp.spend, '0.00') AS spend,
       coalesce(sp.clicks, 0) AS clicks, coalesce(sp.impressions, 0) AS impressions, cy.cycle_days,
       ${models.map((m) => `coalesce(a.revenue_${m}, '0.00') AS revenue_${m}, coalesce(a.won_${m}, 0) AS won_${m}`).join(', ')}
FROM keys k
LEFT JOIN counts n ON n.channel = k.channel AND n.campaign = k.campaign
LEFT JOIN attributed a ON a.channel = k.channel AND a.campaign = k.campaign
LEFT JOIN cycles cy ON cy.channel = k.channel AND cy.campaign = k.campaign
LEFT JOIN spend sp ON sp.channel = k.channel AND sp.campaign = k.campaign
ORDER BY k.channel, k.campaign`;

/** Per channel and manager: leads, and wins and revenue under the chosen model (:model). */
export const byManagerSql = `
WITH ${marked}, ${weighted},
leads AS (SELECT channel, responsible_id, count(*)::int AS leads FROM marked WHERE kind = 'lead' AND ${win('created_at')} GROUP BY 1, 2),
wins AS (
  SELECT channel, responsible_id,
         sum(CASE :model::text ${models.map((m) => `WHEN '${m}' THEN ${m}`).join(' ')} END)::float8 AS won,
         round(sum(amount * CASE :model::text ${models.map((m) => `WHEN '${m}' THEN ${m}`).join(' ')} END), 2)::text AS revenue
  FROM weights GROUP BY 1, 2
)
SELECT coalesce(l.channel, w.channel) AS channel, coalesce(l.responsible_id, w.responsible_id) AS manager,
       coalesce(l.leads, 0) AS leads, coalesce(w.won, 0) AS won, coalesce(w.revenue, '0.00') AS revenue
FROM leads l FULL JOIN wins w ON w.channel = l.channel AND w.responsible_id IS NOT DISTINCT FROM l.responsible_id
ORDER BY 1, 2`;

/** Per channel: how many of the window's deals reached each stage (from the stage history, and the current stage). */
// A deal reached a stage when it got at least that far in its pipeline (its furthest stage, lost ones
// aside, from the history and the current stage): a deal that skipped a stage still passed it, so each
// conversion between consecutive stages is a share of the deals before it, never above 1. One funnel per
// channel and pipeline: stages of different pipelines are not steps of one funnel.
export const funnelSql = `
WITH ${marked},
visits AS (
  SELECT owner_id AS id, to_stage_id AS stage FROM stage_changes WHERE entity = 'deal'
  UNION SELECT id, stage_id FROM marked WHERE kind = 'deal'
),
furthest AS (
  SELECT m.channel, m.id, s.pipeline_id, max(s.sort) AS top
  FROM marked m JOIN visits v ON v.id = m.id JOIN stages s ON s.external_id = v.stage AND s.entity = 'deal' AND s.semantics <> 'lost'
  WHERE m.kind = 'deal' AND ${win('m.created_at')}
  GROUP BY 1, 2, 3
)
SELECT f.channel, s.pipeline_id AS pipeline, s.external_id AS stage, s.name, s.sort, count(*)::int AS reached
FROM furthest f JOIN stages s ON s.pipeline_id = f.pipeline_id AND s.entity = 'deal' AND s.semantics <> 'lost' AND s.sort <= f.top
GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 5, 3`;

/**
 * Cohorts by the month of a contact's first lead or deal: contacts, and revenue won in each later month.
 * Straight from the tables (not the marked records): a join of the cohort with a scan of every marked
 * record was planned as a nested loop and ran for minutes on a million deals.
 */
export const cohortsSql = `
WITH firsts AS (
  SELECT contact_id, min(created_at) AS at FROM (
    SELECT contact_id, created_at FROM leads WHERE contact_id IS NOT NULL
    UNION ALL SELECT contact_id, created_at FROM deals WHERE contact_id IS NOT NULL
  ) x GROUP BY contact_id
), cohort AS MATERIALIZED (
  SELECT contact_id, date_trunc('month', at AT TIME ZONE :tz) AS month FROM firsts WHERE ${win('at')}
), sizes AS (SELECT month, count(*)::int AS contacts FROM cohort GROUP BY month),
wins AS (
  SELECT c.month, date_trunc('month', d.closed_at AT TIME ZONE :tz) AS won_month, count(*)::int AS won, round(sum(d.amount), 2)::text AS revenue
  FROM cohort c JOIN deals d ON d.contact_id = c.contact_id
  JOIN stages s ON s.external_id = d.stage_id AND s.entity = 'deal' AND s.semantics = 'won'
  WHERE d.currency = :currency GROUP BY 1, 2
)
SELECT to_char(w.month, 'YYYY-MM') AS cohort,
       ((extract(year FROM w.won_month) - extract(year FROM w.month)) * 12 + extract(month FROM w.won_month) - extract(month FROM w.month))::int AS month,
       sz.contacts, w.won, w.revenue
FROM wins w JOIN sizes sz ON sz.month = w.month ORDER BY 1, 2`;

/** Leads and deals of the window whose channel is unknown, per manager. */
export const unknownSql = `
WITH ${marked}
SELECT responsible_id AS manager, count(*) FILTER (WHERE kind = 'lead')::int AS leads, count(*) FILTER (WHERE kind = 'deal')::int AS deals,
       (array_agg(kind || ':' || id ORDER BY created_at DESC))[1:10] AS examples
FROM marked WHERE channel = 'unknown' AND ${win('created_at')} GROUP BY 1 ORDER BY 2 DESC, 3 DESC, 1`;

/** Deals created in the last :recentDays days with their channel and campaign, for the write-back. */
export const recentDealsSql = `
WITH ${marked}
SELECT id, channel, campaign FROM marked
WHERE kind = 'deal' AND created_at >= :now::timestamptz - make_interval(days => :recentDays::int) ORDER BY id`;

/**
 * The holdout experiment's contacts: created since :since whose outcome window has ended, whether they
 * won a deal within :windowDays of their creation, and its revenue (exact).
 */
export const holdoutSql = `
SELECT c.external_id AS id,
       count(d.external_id) > 0 AS converted, round(coalesce(sum(d.amount), 0), 2)::text AS revenue
FROM contacts c
LEFT JOIN deals d ON d.contact_id = c.external_id AND d.currency = :currency AND d.closed_at <= c.created_at + make_interval(days => :windowDays::int)
  AND EXISTS (SELECT 1 FROM stages s WHERE s.external_id = d.stage_id AND s.entity = 'deal' AND s.semantics = 'won')
WHERE c.created_at >= (:since::date::timestamp AT TIME ZONE :tz) AND c.created_at + make_interval(days => :windowDays::int) <= :now::timestamptz
GROUP BY c.external_id ORDER BY c.external_id`;

/** Contacts of the experiment created in the last :recentDays days, for the group label. */
export const holdoutRecentSql = `
SELECT external_id AS id FROM contacts
WHERE created_at >= (:since::date::timestamp AT TIME ZONE :tz) AND created_at >= :now::timestamptz - make_interval(days => :recentDays::int)
ORDER BY external_id`;

/** Ad spend of the experiment's period. */
export const holdoutSpendSql = `
SELECT round(coalesce(sum(cost), 0), 2)::text AS spend FROM ad_spend WHERE currency = :currency AND day >= :since::date AND day <= (:now::timestamptz AT TIME ZONE :tz)::date`;
