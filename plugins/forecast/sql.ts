/**
 * The forecast's queries. $1 the run's instant, $2 the time zone, $3 the currency, $4 history days.
 * Amounts are summed in SQL (numeric, exact) and come back as text.
 */
export const quarterStart = `(date_trunc('quarter', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2)`;

const stageJoin = `JOIN stages s ON s.external_id = d.stage_id AND s.entity = 'deal'`;

export const quarterSql = `
SELECT to_char(date_trunc('quarter', $1::timestamptz AT TIME ZONE $2), 'YYYY-"Q"Q') AS label,
       ${'(extract(epoch FROM ' + quarterStart + ') * 1000)::float8'} AS start_ms,
       (extract(epoch FROM ((date_trunc('quarter', $1::timestamptz AT TIME ZONE $2) + interval '3 months') AT TIME ZONE $2)) * 1000)::float8 AS end_ms,
       (SELECT coalesce(sum(d.amount), 0)::text FROM deals d ${stageJoin}
         WHERE s.semantics = 'won' AND d.currency = $3 AND d.closed_at >= ${quarterStart} AND d.closed_at <= $1::timestamptz) AS won,
       $4::int AS history_days`;

/**
 * Per stage of the open deals: the history of deals that reached the stage and closed since the history
 * began (won among them, and won within $4 days of reaching it), and the open deals now in it with their
 * amounts: sum, and the sums the expectation and its variance need. Here $2 is the currency, $3 history days.
 */
export const pipelineSql = `
WITH closed AS (
  SELECT d.external_id, s.semantics = 'won' AS won, d.closed_at FROM deals d ${stageJoin}
  WHERE s.semantics IN ('won', 'lost') AND d.closed_at >= $1::timestamptz - make_interval(days => $3::int)
), entered AS (
  SELECT owner_id, to_stage_id AS stage, min(at) AS at FROM stage_changes WHERE entity = 'deal' GROUP BY 1, 2
), history AS (
  SELECT e.stage, count(*)::int AS n, count(*) FILTER (WHERE c.won)::int AS won,
         count(*) FILTER (WHERE c.won AND c.closed_at - e.at <= make_interval(secs => $4::float8 * 86400))::int AS won_in_time
  FROM entered e JOIN closed c ON c.external_id = e.owner_id GROUP BY e.stage
), open AS (
  SELECT d.stage_id, count(*)::int AS deals, sum(d.amount) AS amount, sum(d.amount * d.amount) AS amount2
  FROM deals d ${stageJoin} WHERE s.semantics = 'open' AND d.currency = $2 GROUP BY d.stage_id
)
SELECT o.stage_id AS stage, o.deals, o.amount::text AS amount, o.amount2::float8 AS amount2,
       coalesce(h.n, 0) AS n, coalesce(h.won, 0) AS won, coalesce(h.won_in_time, 0) AS won_in_time
FROM open o LEFT JOIN history h ON h.stage = o.stage_id ORDER BY o.stage_id`;

/**
 * Per channel (UTM source, else the CRM source, else "unknown"): leads in the history window and in the
 * recent window, the won deals they became (revenue exact), and the deciles of days from lead to win.
 * Here $2 is the currency, $3 history days, $4 recent days.
 */
export const channelsSql = `
WITH l AS (
  SELECT external_id, coalesce(utm_source, source_id, 'unknown') AS channel, created_at FROM leads
  WHERE created_at >= $1::timestamptz - make_interval(days => $3::int) AND created_at <= $1::timestamptz
), w AS (
  SELECT d.lead_id, d.amount, d.closed_at FROM deals d ${stageJoin}
  WHERE s.semantics = 'won' AND d.lead_id IS NOT NULL AND d.currency = $2
)
SELECT l.channel, count(DISTINCT l.external_id)::int AS leads,
       count(DISTINCT l.external_id) FILTER (WHERE l.created_at >= $1::timestamptz - make_interval(days => $4::int))::int AS recent,
       count(w.lead_id)::int AS won, coalesce(sum(w.amount), 0)::text AS revenue,
       percentile_cont(ARRAY[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]) WITHIN GROUP (ORDER BY extract(epoch FROM w.closed_at - l.created_at) / 86400)
         FILTER (WHERE w.lead_id IS NOT NULL) AS cycle
FROM l LEFT JOIN w ON w.lead_id = l.external_id GROUP BY l.channel ORDER BY l.channel`;

/**
 * Capacity: deals closed (won or lost) per manager and quarter in the history window, the win rate and
 * average won amount, and the active managers now.
 */
export const capacitySql = `
WITH c AS (
  SELECT d.responsible_id, date_trunc('quarter', d.closed_at AT TIME ZONE $2) AS q, s.semantics, d.amount, d.currency
  FROM deals d ${stageJoin}
  WHERE s.semantics IN ('won', 'lost') AND d.responsible_id IS NOT NULL AND d.closed_at >= $1::timestamptz - make_interval(days => $4::int)
    AND d.closed_at < ${quarterStart}
)
SELECT (SELECT count(*)::int FROM c) AS closed,
       (SELECT count(*)::int FROM c WHERE semantics = 'won') AS won,
       (SELECT count(*)::int FROM c WHERE semantics = 'won' AND currency = $3) AS won_in_currency,
       (SELECT coalesce(sum(amount), 0)::text FROM c WHERE semantics = 'won' AND currency = $3) AS revenue,
       (SELECT count(*)::int FROM (SELECT DISTINCT responsible_id, q FROM c) x) AS manager_quarters,
       (SELECT count(*)::int FROM users WHERE active) AS active_managers`;

export const headsSql = `
SELECT u.external_id AS id FROM users u
WHERE u.active AND u.manager_id IS NULL AND EXISTS (SELECT 1 FROM users x WHERE x.manager_id = u.external_id AND x.external_id <> u.external_id)
ORDER BY u.external_id`;
