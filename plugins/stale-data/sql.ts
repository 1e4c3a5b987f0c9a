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

export const overdueSql = `
SELECT a.external_id AS id, a.responsible_id AS owner, coalesce(a.subject, a.kind) AS title, a.owner_type, a.owner_id,
       ${ms('a.deadline')} AS deadline_ms
FROM activities a WHERE NOT a.completed AND a.deadline < $1::timestamptz`;

/**
 * The rules over open deals share one pass over them: `od`, read once and kept (materialized) for all,
 * rather than each rule reading every deal again. Each rule below is a query over `od` with the common
 * tables it needs first; `dealRulesSql` joins the chosen ones into one statement.
 */
export type DealRuleId = 'no_activity' | 'no_next_task' | 'close_date_past' | 'missing_data';

interface DealRule {
  /** Common tables the query needs besides `od`, in order. */
  with: string[];
  sql: string;
  /** Most pressing first: which findings are listed when there are more than the limit. */
  order: string;
  /** Its columns besides id, owner and title (the others come back null). */
  columns: readonly DealColumn[];
}

const dealColumns = { last_ms: 'float8', limit_days: 'float8', close_ms: 'float8', no_amount: 'boolean', no_contact: 'boolean', no_source: 'boolean' } as const;
type DealColumn = keyof typeof dealColumns;

const od = `od AS MATERIALIZED (
  SELECT r.external_id, r.responsible_id, r.title, r.stage_id, r.created_at, r.close_date, r.amount,
         r.contact_id, r.company_id, r.source_id, r.utm_source
  FROM (${openDeals}) r
)`;

const dealRules: Record<DealRuleId, DealRule> = {
  /**
   * Idle open deals. A stage's limit is the chosen percentile of how long deals stayed in it over the
   * last year (from the stage history: each change to the next one of the same deal); thin history falls
   * back to the default. Last touch: the latest activity created or completed, stage change, or the deal's creation.
   * $2 percentile, $3 minimum samples, $4 minimum days, $5 default days.
   *
   * The last touch takes index look-ups per open deal, the dearest part at scale, so they are made
   * only where they can still matter: not for a deal created within its limit (its creation already
   * touches it), and the stage history only for a deal its activities left idle.
   */
  no_activity: {
    with: [
      `stays AS (
  SELECT to_stage_id AS stage, extract(epoch FROM lead(at) OVER w - at) / 86400 AS days
  FROM stage_changes WHERE entity = 'deal' AND at >= $1::timestamptz - interval '365 days'
  -- Partitions are runs of equal ids whatever the collation: "C" only sorts them faster (bytewise).
  WINDOW w AS (PARTITION BY owner_id COLLATE "C" ORDER BY at, external_id)
)`,
      `limits AS (
  SELECT stage, percentile_cont($2::float8) WITHIN GROUP (ORDER BY days) AS p, count(*)::int AS n
  FROM stays WHERE days IS NOT NULL GROUP BY stage
)`,
      `due AS (
  -- Each open deal with its limit and the instant before which its last touch makes it idle.
  SELECT d.external_id, d.responsible_id, d.title, d.created_at, x.limit_days,
         $1::timestamptz - make_interval(secs => x.limit_days * 86400) AS idle_before
  FROM od d
  LEFT JOIN limits l ON l.stage = d.stage_id
  CROSS JOIN LATERAL (SELECT CASE WHEN l.n >= $3::int THEN greatest(l.p, $4::float8) ELSE $5::float8 END AS limit_days) x
)`,
    ],
    sql: `
SELECT d.external_id AS id, d.responsible_id AS owner, d.title, ${ms('c.last')} AS last_ms, d.limit_days::float8 AS limit_days
FROM due d
-- Per deal through the (account, owner) indexes: cheaper than aggregating every activity.
CROSS JOIN LATERAL (
  SELECT greatest(d.created_at, max(greatest(a.created_at, a.completed_at))) AS last
  FROM activities a WHERE a.owner_type = 'deal' AND a.owner_id = d.external_id
) a
CROSS JOIN LATERAL (
  SELECT greatest(a.last, max(c.at)) AS last FROM stage_changes c WHERE c.entity = 'deal' AND c.owner_id = d.external_id
) c
WHERE d.created_at < d.idle_before AND a.last < d.idle_before AND c.last < d.idle_before`,
    order: 'last_ms, id',
    columns: ['last_ms', 'limit_days'],
  },
  no_next_task: {
    with: [],
    sql: `
SELECT d.external_id AS id, d.responsible_id AS owner, d.title FROM od d
WHERE NOT EXISTS (SELECT 1 FROM activities a WHERE a.owner_type = 'deal' AND a.owner_id = d.external_id AND NOT a.completed)`,
    order: 'id',
    columns: [],
  },
  close_date_past: {
    with: [],
    sql: `
SELECT d.external_id AS id, d.responsible_id AS owner, d.title, ${ms('d.close_date')} AS close_ms
FROM od d WHERE d.close_date < $1::timestamptz`,
    order: 'close_ms, id',
    columns: ['close_ms'],
  },
  missing_data: {
    with: [],
    sql: `
SELECT d.external_id AS id, d.responsible_id AS owner, d.title,
       d.amount = 0 AS no_amount,
       coalesce(cardinality(c.phones) + cardinality(c.emails), 0) + coalesce(cardinality(co.phones) + cardinality(co.emails), 0) = 0 AS no_contact,
       d.source_id IS NULL AND d.utm_source IS NULL AS no_source
FROM od d
LEFT JOIN contacts c ON c.external_id = d.contact_id
LEFT JOIN companies co ON co.external_id = d.company_id
WHERE d.amount = 0
   OR coalesce(cardinality(c.phones) + cardinality(c.emails), 0) + coalesce(cardinality(co.phones) + cardinality(co.emails), 0) = 0
   OR (d.source_id IS NULL AND d.utm_source IS NULL)`,
    order: 'id',
    columns: ['no_amount', 'no_contact', 'no_source'],
  },
};

/** A row of `dealRulesSql`: the rule it answers, how many it found in all, and that rule's columns. */
export interface DealRow {
  rule: DealRuleId;
  total: number;
  id: string;
  owner: string | null;
  title: string;
  last_ms: number;
  limit_days: number;
  close_ms: number;
  no_amount: boolean;
  no_contact: boolean;
  no_source: boolean;
}

/**
 * One statement for the chosen deal rules (in this order): each lists at most `limit` findings, the
 * most pressing first, with the count of all. $1 is the run's instant, needed by no_activity ($1 to $5)
 * and close_date_past; `dealRulesParams` gives the parameters that go with it.
 */
export function dealRulesSql(rules: readonly DealRuleId[], limit: number): string {
  const ctes = [od, ...rules.flatMap((r) => dealRules[r].with)];
  const parts = rules.map((id) => {
    const r = dealRules[id];
    const cols = (Object.keys(dealColumns) as DealColumn[]).map((c) => (r.columns.includes(c) ? `r.${c}` : `NULL::${dealColumns[c]} AS ${c}`));
    return `(SELECT '${id}'::text AS rule, count(*) OVER ()::int AS total, r.id, r.owner, r.title, ${cols.join(', ')}
  FROM (${r.sql}) r ORDER BY ${r.order} LIMIT ${limit})`;
  });
  return `WITH ${ctes.join(',\n')}\n${parts.join('\nUNION ALL\n')}`;
}

/** The parameters of `dealRulesSql` for these rules: none unused, as Postgres must type each one. */
export function dealRulesParams(rules: readonly DealRuleId[], at: string, idle: readonly [percentile: number, minSamples: number, minDays: number, defaultDays: number]): unknown[] {
  if (rules.includes('no_activity')) return [at, ...idle];
  return rules.includes('close_date_past') ? [at] : [];
}

/**
 * Contacts sharing a phone or an e-mail. Each key is worked out once per phone or e-mail and grouped
 * by itself (ids only): the contacts' names and owners are joined to the few duplicates alone.
 */
export const duplicatesSql = `
WITH keys AS (
  -- Russian numbers in any notation: digits only, 8XXXXXXXXXX and XXXXXXXXXX as 7XXXXXXXXXX.
  SELECT id, by,
         CASE WHEN by = 'phone' AND length(n) = 11 AND left(n, 1) = '8' THEN '7' || substr(n, 2)
              WHEN by = 'phone' AND length(n) = 10 THEN '7' || n ELSE n END AS value
  FROM (
    SELECT external_id AS id, 'phone' AS by, regexp_replace(unnest(phones), '\\D', '', 'g') AS n FROM contacts
    UNION ALL
    SELECT external_id, 'email', lower(trim(unnest(emails))) FROM contacts
    -- A fence: the digits are extracted once per phone, not once for each use of them below.
    OFFSET 0
  ) raw
), clean AS (
  SELECT id, by, value FROM keys WHERE (by = 'email' AND value LIKE '%_@_%') OR (by = 'phone' AND length(value) >= 10)
), shared AS (
  -- Keys met more than once. A contact listing one number twice is told apart from two contacts below.
  SELECT by, value FROM clean GROUP BY by, value HAVING count(*) > 1
), hits AS (
  SELECT DISTINCT k.id, k.by, k.value FROM clean k JOIN shared s ON s.by = k.by AND s.value = k.value
), groups AS (
  SELECT by, value, array_agg(id ORDER BY id) AS ids FROM hits GROUP BY by, value HAVING count(*) > 1
)
SELECT h.id, c.responsible_id AS owner, c.name AS title, g.by, g.value, g.ids
FROM groups g JOIN hits h ON h.by = g.by AND h.value = g.value JOIN contacts c ON c.external_id = h.id`;

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
