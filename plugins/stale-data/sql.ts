/**
 * The SQL of the stale-data rules. Set-based over the account's model (the scoped reader shows only its
 * live rows); instants come back as epoch milliseconds, so both drivers give plain numbers. $1 is the
 * run's instant throughout.
 */
const ms = (x: string) => `(extract(epoch FROM ${x}) * 1000)::float8`;

/** Open: the stage's semantics says so or, with no stage known, the record is not closed. */
const open = (table: 'deals' | 'leads', entity: 'deal' | 'lead') => `
  SELECT r.* FROM ${table} r LEFT JOIN stages s ON s.external_id = r.stage_id AND s.entity = '${entity}'
  WHERE coalesce(s.semantics = 'open', r.closed_at IS NULL)`;

export const openDeals = open('deals', 'deal');

export const ownerInactiveSql = `
WITH gone AS (SELECT external_id, name FROM users WHERE NOT active),
od AS (${openDeals}), ol AS (${open('leads', 'lead')})
SELECT 'deal' AS entity, d.external_id AS id, d.responsible_id AS owner, g.name AS owner_name, d.title,
       d.contact_id, d.company_id, NULL::text AS owner_type, NULL::text AS owner_id
  FROM od d JOIN gone g ON g.external_id = d.responsible_id
UNION ALL
SELECT 'lead', l.external_id, l.responsible_id, g.name, l.title, l.contact_id, l.company_id, NULL, NULL
  FROM ol l JOIN gone g ON g.external_id = l.responsible_id
UNION ALL
SELECT 'contact', c.external_id, c.responsible_id, g.name, c.name, NULL, c.company_id, NULL, NULL
  FROM contacts c JOIN gone g ON g.external_id = c.responsible_id
UNION ALL
SELECT 'company', c.external_id, c.responsible_id, g.name, c.name, NULL, NULL, NULL, NULL
  FROM companies c JOIN gone g ON g.external_id = c.responsible_id
UNION ALL
SELECT 'activity', a.external_id, a.responsible_id, g.name, coalesce(a.subject, a.kind), NULL, NULL, a.owner_type, a.owner_id
  FROM activities a JOIN gone g ON g.external_id = a.responsible_id WHERE NOT a.completed`;

/**
 * Idle open deals. A stage's limit is the chosen percentile of how long deals stayed in it over the
 * last year (from the stage history: each change to the next one of the same deal); thin history falls
 * back to the default. Last touch: the latest activity created or completed, stage change, or the deal's creation.
 * $2 percentile, $3 minimum samples, $4 minimum days, $5 default days.
 */
export const noActivitySql = `
WITH stays AS (
  SELECT to_stage_id AS stage, extract(epoch FROM lead(at) OVER w - at) / 86400 AS days
  FROM stage_changes WHERE entity = 'deal' AND at >= $1::timestamptz - interval '365 days'
  WINDOW w AS (PARTITION BY owner_id ORDER BY at, external_id)
), limits AS (
  SELECT stage, percentile_cont($2::float8) WITHIN GROUP (ORDER BY days) AS p, count(*)::int AS n
  FROM stays WHERE days IS NOT NULL GROUP BY stage
), touched AS MATERIALIZED (
  -- Per open deal, through the (account, owner) indexes: cheaper than aggregating every activity.
  -- Materialized, so that each look-up runs once and not again for the output.
  SELECT d.external_id, d.responsible_id, d.title, d.stage_id,
         greatest(d.created_at,
           (SELECT max(greatest(a.created_at, a.completed_at)) FROM activities a WHERE a.owner_type = 'deal' AND a.owner_id = d.external_id),
           (SELECT max(c.at) FROM stage_changes c WHERE c.entity = 'deal' AND c.owner_id = d.external_id)) AS last
  FROM (${openDeals}) d
), limited AS (
  SELECT t.*, CASE WHEN l.n >= $3::int THEN greatest(l.p, $4::float8) ELSE $5::float8 END AS limit_days
  FROM touched t LEFT JOIN limits l ON l.stage = t.stage_id
)
SELECT external_id AS id, responsible_id AS owner, title, ${ms('last')} AS last_ms, limit_days::float8 AS limit_days
FROM limited WHERE last < $1::timestamptz - make_interval(secs => limit_days * 86400)`;

export const noNextTaskSql = `
SELECT d.external_id AS id, d.responsible_id AS owner, d.title FROM (${openDeals}) d
WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.owner_type = 'deal' AND a.owner_id = d.external_id AND NOT a.completed)`;

export const overdueSql = `
SELECT a.external_id AS id, a.responsible_id AS owner, coalesce(a.subject, a.kind) AS title, a.owner_type, a.owner_id,
       ${ms('a.deadline')} AS deadline_ms
FROM activities a WHERE NOT a.completed AND a.deadline < $1::timestamptz`;

export const closeDatePastSql = `
SELECT d.external_id AS id, d.responsible_id AS owner, d.title, ${ms('d.close_date')} AS close_ms
FROM (${openDeals}) d WHERE d.close_date < $1::timestamptz`;

export const missingDataSql = `
SELECT d.external_id AS id, d.responsible_id AS owner, d.title,
       d.amount = 0 AS no_amount,
       coalesce(cardinality(c.phones) + cardinality(c.emails), 0) + coalesce(cardinality(co.phones) + cardinality(co.emails), 0) = 0 AS no_contact,
       d.source_id IS NULL AND d.utm_source IS NULL AS no_source
FROM (${openDeals}) d
LEFT JOIN contacts c ON c.external_id = d.contact_id
LEFT JOIN companies co ON co.external_id = d.company_id
WHERE d.amount = 0
   OR coalesce(cardinality(c.phones) + cardinality(c.emails), 0) + coalesce(cardinality(co.phones) + cardinality(co.emails), 0) = 0
   OR (d.source_id IS NULL AND d.utm_source IS NULL)`;

export const duplicatesSql = `
WITH raw AS (
  SELECT c.external_id AS id, c.responsible_id AS owner, c.name, 'phone' AS by, regexp_replace(p, '\\D', '', 'g') AS n
  FROM contacts c, unnest(c.phones) p
  UNION ALL
  SELECT c.external_id, c.responsible_id, c.name, 'email', lower(trim(e)) FROM contacts c, unnest(c.emails) e
), keys AS (
  -- Russian numbers in any notation: digits only, 8XXXXXXXXXX and XXXXXXXXXX as 7XXXXXXXXXX.
  SELECT id, owner, name, by,
         CASE WHEN by = 'phone' AND length(n) = 11 AND left(n, 1) = '8' THEN '7' || substr(n, 2)
              WHEN by = 'phone' AND length(n) = 10 THEN '7' || n ELSE n END AS value
  FROM raw
), clean AS (
  SELECT DISTINCT * FROM keys WHERE (by = 'email' AND value LIKE '%_@_%') OR (by = 'phone' AND length(value) >= 10)
), groups AS (
  SELECT by, value, array_agg(id ORDER BY id) AS ids FROM clean GROUP BY by, value HAVING count(*) > 1
)
SELECT k.id, k.owner, k.name AS title, g.by, g.value, g.ids FROM groups g JOIN clean k ON k.by = g.by AND k.value = g.value`;

/** Who can take over: every user, with open deals and leads as their load. */
export const usersSql = `
WITH load AS (
  SELECT responsible_id, count(*)::int AS n FROM (
    SELECT responsible_id FROM (${openDeals}) d UNION ALL SELECT responsible_id FROM (${open('leads', 'lead')}) l
  ) x GROUP BY responsible_id
)
SELECT u.external_id AS id, u.name, u.active, u.department_ids, coalesce(l.n, 0) AS load
FROM users u LEFT JOIN load l ON l.responsible_id = u.external_id ORDER BY u.external_id`;

/** What the new owner of a deal or lead should know: the last thing done, and what is overdue. */
export const contextSql = `
SELECT a.owner_type, a.owner_id,
       (array_agg(coalesce(a.subject, a.kind) ORDER BY greatest(a.created_at, a.completed_at) DESC))[1] AS last_subject,
       ${ms('max(greatest(a.created_at, a.completed_at))')} AS last_ms,
       count(*) FILTER (WHERE NOT a.completed AND a.deadline < $1::timestamptz)::int AS overdue
FROM activities a WHERE a.owner_type IN ('deal', 'lead') AND a.owner_id = ANY($2::text[])
GROUP BY a.owner_type, a.owner_id`;
