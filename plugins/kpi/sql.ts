import type { KpiConfig } from './config.js';

/**
 * The KPI queries, set-based. Parameters throughout: $1 the run's instant, $2 the time zone, $3 the
 * period unit ('month' or 'quarter'), $4 the period label format, $5 how many periods. A record belongs
 * to the period of its instant in the company's time zone.
 */
export const periodOf = (x: string) => `to_char(date_trunc($3, ${x} AT TIME ZONE $2), $4)`;
const since = `((date_trunc($3, $1::timestamptz AT TIME ZONE $2) - make_interval(months => ($5::int - 1) * CASE WHEN $3 = 'quarter' THEN 3 ELSE 1 END)) AT TIME ZONE $2)`;
const within = (x: string) => `${x} >= ${since} AND ${x} <= $1::timestamptz`;

export const labelFormat = (unit: KpiConfig['period']) => (unit === 'quarter' ? 'YYYY-"Q"Q' : 'YYYY-MM');

/** Leads taken, converted into deals, and the median hours to the first contact (a call, e-mail, meeting or message). */
export const leadsSql = `
WITH l AS (
  SELECT external_id, responsible_id, created_at, ${periodOf('created_at')} AS period FROM leads
  WHERE responsible_id IS NOT NULL AND ${within('created_at')}
), converted AS (SELECT DISTINCT lead_id FROM deals WHERE lead_id IS NOT NULL),
first AS (
  SELECT owner_id, min(coalesce(completed_at, created_at)) AS at FROM activities
  WHERE owner_type = 'lead' AND kind <> 'task' GROUP BY owner_id
)
SELECT l.responsible_id AS user_id, l.period, count(*)::int AS leads, count(c.lead_id)::int AS converted,
       (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.at - l.created_at) / 3600) FILTER (WHERE f.at >= l.created_at))::float8 AS first_contact_hours
FROM l LEFT JOIN converted c ON c.lead_id = l.external_id LEFT JOIN first f ON f.owner_id = l.external_id
GROUP BY 1, 2`;

/** Deals closed in the period: won and lost, revenue (exact, in the account's currency), median cycle of the won. $6 currency. */
export const closedSql = `
SELECT d.responsible_id AS user_id, ${periodOf('d.closed_at')} AS period,
       count(*) FILTER (WHERE s.semantics = 'won')::int AS won, count(*) FILTER (WHERE s.semantics = 'lost')::int AS lost,
       coalesce(sum(d.amount) FILTER (WHERE s.semantics = 'won' AND d.currency = $6), 0)::text AS revenue,
       count(*) FILTER (WHERE s.semantics = 'won' AND d.currency = $6)::int AS won_in_currency,
       (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM d.closed_at - d.created_at) / 86400) FILTER (WHERE s.semantics = 'won'))::float8 AS cycle_days
FROM deals d JOIN stages s ON s.external_id = d.stage_id AND s.entity = 'deal'
WHERE d.responsible_id IS NOT NULL AND s.semantics IN ('won', 'lost') AND ${within('d.closed_at')}
GROUP BY 1, 2`;

/** Deals created in the period, and how many have an amount, a contact or company, and a source. */
export const createdSql = `
SELECT responsible_id AS user_id, ${periodOf('created_at')} AS period, count(*)::int AS created,
       count(*) FILTER (WHERE amount > 0 AND (contact_id IS NOT NULL OR company_id IS NOT NULL)
                          AND (source_id IS NOT NULL OR utm_source IS NOT NULL))::int AS complete
FROM deals WHERE responsible_id IS NOT NULL AND ${within('created_at')}
GROUP BY 1, 2`;

/** Completed activities weighted by kind; calls shorter than the minimum count little. */
export function activitySql(c: KpiConfig): string {
  const w = c.activityWeights;
  const n = (x: number) => Number(x).toString();
  return `
SELECT responsible_id AS user_id, ${periodOf('completed_at')} AS period, count(*)::int AS activities,
       sum(CASE kind WHEN 'call' THEN CASE WHEN coalesce(duration_seconds, 0) >= ${c.minCallSeconds} THEN ${n(w.call)} ELSE ${n(w.shortCall)} END
                     WHEN 'meeting' THEN ${n(w.meeting)} WHEN 'email' THEN ${n(w.email)} WHEN 'message' THEN ${n(w.message)}
                     ELSE ${n(w.task)} END)::float8 AS activity_score
FROM activities WHERE completed AND responsible_id IS NOT NULL AND ${within('completed_at')}
GROUP BY 1, 2`;
}

/** Activities due in the period, and how many were done late or are still open past their deadline. */
export const dueSql = `
SELECT responsible_id AS user_id, ${periodOf('deadline')} AS period, count(*)::int AS due,
       count(*) FILTER (WHERE (completed AND completed_at > deadline) OR (NOT completed AND deadline < $1::timestamptz))::int AS overdue
FROM activities WHERE responsible_id IS NOT NULL AND ${within('deadline')}
GROUP BY 1, 2`;

/** Open deals now, and those untouched for the stale limit: the current period's stale share. $5 days (no window here). */
export const staleSql = `
WITH open AS (
  SELECT d.external_id, d.responsible_id, d.created_at FROM deals d
  LEFT JOIN stages s ON s.external_id = d.stage_id AND s.entity = 'deal'
  WHERE d.responsible_id IS NOT NULL AND coalesce(s.semantics = 'open', d.closed_at IS NULL)
), touched AS MATERIALIZED (
  SELECT o.responsible_id, greatest(o.created_at,
    (SELECT max(greatest(a.created_at, a.completed_at)) FROM activities a WHERE a.owner_type = 'deal' AND a.owner_id = o.external_id)) AS last
  FROM open o
)
SELECT responsible_id AS user_id, ${periodOf('$1::timestamptz')} AS period, count(*)::int AS open,
       count(*) FILTER (WHERE last < $1::timestamptz - make_interval(secs => $5::float8 * 86400))::int AS stale
FROM touched GROUP BY 1, 2`;

export const usersSql = `
SELECT u.external_id AS id, u.name, u.active, u.department_ids, u.manager_id,
       (SELECT d.head_user_id FROM departments d WHERE d.external_id = u.department_ids[1]) AS head_id
FROM users u ORDER BY u.external_id`;

/** Every period label in the window, oldest first. */
// The series runs over local timestamps, first days of months: stepping an instant by months in UTC
// drifted (Aug 31 21:00Z + 1 month = Sep 30 21:00Z = Oct 1 in Moscow, then Oct 30 21:00Z = Oct 31 in
// Moscow again), so a month was listed twice and the current one never.
export const periodsSql = `
SELECT to_char(g, $4) AS period FROM generate_series(
  date_trunc($3, $1::timestamptz AT TIME ZONE $2) - make_interval(months => ($5::int - 1) * CASE WHEN $3 = 'quarter' THEN 3 ELSE 1 END),
  date_trunc($3, $1::timestamptz AT TIME ZONE $2),
  make_interval(months => CASE WHEN $3 = 'quarter' THEN 3 ELSE 1 END)) AS g ORDER BY g`;
