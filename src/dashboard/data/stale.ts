import { z } from 'zod';
import type { Store } from '../../store/index.js';
import { usersParam, type Viewer } from '../viewer.js';
import type { Finding } from '../../../plugins/stale-data/rules.js';
import type { Move } from '../../../plugins/stale-data/plan.js';
import { runInfo, userNames, type RunInfo } from './runs.js';

export const PAGE_SIZE = 50;
export const staleQuery = z.object({
  rule: z.string().regex(/^[a-z_]{1,40}$/).optional(),
  severity: z.enum(['high', 'medium', 'low']).optional(),
  entity: z.enum(['deal', 'lead', 'contact', 'company', 'activity']).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
});

export interface StalePage {
  run: RunInfo | null;
  filters: z.infer<typeof staleQuery>;
  total: number;
  pages: number;
  findings: (Finding & { owner: string })[];
  byRule: { rule: string; count: number }[];
  /** The reassignment the run planned, as far as the viewer may see it (the first MOVES_SHOWN; `movesTotal` all). */
  movesTotal: number;
  moves: Pick<Move, 'entity' | 'id' | 'title' | 'from' | 'to' | 'fromName' | 'toName'>[];
  canApply: boolean;
  /** The run's writes (or, once undone, their reversals) in the outbox, by status. */
  progress: { pending: number; done: number; failed: number } | null;
}

// Findings stay in the run's JSON; filtered, counted and paged by Postgres, not in Node.
const findingsSql = `
SELECT f.value AS finding, count(*) OVER () AS total
  FROM plugin_runs r CROSS JOIN LATERAL jsonb_array_elements(r.results) WITH ORDINALITY AS f(value, n)
 WHERE r.account_id = $1 AND r.id = $2
   AND ($3::text[] IS NULL OR f.value->>'ownerId' = ANY($3::text[]))
   AND ($4::text IS NULL OR f.value->>'rule' = $4)
   AND ($5::text IS NULL OR f.value->>'severity' = $5)
   AND ($6::text IS NULL OR f.value->>'entity' = $6)
 ORDER BY f.n LIMIT $7 OFFSET $8`;

const progressSql = `
SELECT o.status, count(*)::int AS n
  FROM plugin_runs r CROSS JOIN LATERAL jsonb_array_elements(r.writes) AS w(value)
  JOIN outbox o ON o.account_id = r.account_id
   AND o.idempotency_key = CASE WHEN r.undone_at IS NULL THEN w.value->>'key' ELSE 'undo:' || r.id || ':' || (w.value->>'key') END
 WHERE r.account_id = $1 AND r.id = $2 AND r.applied_at IS NOT NULL
 GROUP BY o.status`;

export const MOVES_SHOWN = 200;
const movesSql = `
SELECT m.value->>'entity' AS entity, m.value->>'id' AS id, m.value->>'title' AS title, m.value->>'from' AS "from", m.value->>'to' AS "to",
       m.value->>'fromName' AS "fromName", m.value->>'toName' AS "toName", count(*) OVER () AS total
  FROM plugin_runs r CROSS JOIN LATERAL jsonb_array_elements(r.summary->'moves') WITH ORDINALITY AS m(value, n)
 WHERE r.account_id = $1 AND r.id = $2
   AND ($3::text[] IS NULL OR m.value->>'from' = ANY($3::text[]) OR m.value->>'to' = ANY($3::text[]))
 ORDER BY m.n LIMIT ${MOVES_SHOWN}`;

const byRuleSql = `
SELECT f.value->>'rule' AS rule, count(*)::int AS count
  FROM plugin_runs r CROSS JOIN LATERAL jsonb_array_elements(r.results) AS f(value)
 WHERE r.account_id = $1 AND r.id = $2 AND ($3::text[] IS NULL OR f.value->>'ownerId' = ANY($3::text[]))
 GROUP BY 1 ORDER BY 2 DESC, 1`;

export async function stalePage(store: Store, v: Viewer, q: z.infer<typeof staleQuery>): Promise<StalePage> {
  const run = await store.forAccount(v.account).pluginRuns.latestMeta('stale-data');
  const empty = { run: null, filters: q, total: 0, pages: 0, findings: [], byRule: [], movesTotal: 0, moves: [], canApply: false, progress: null };
  if (!run) return empty;
  const users = usersParam(v);
  const [rows, byRule, names, progress, moves] = await Promise.all([
    store.db.query<{ finding: Finding; total: string | number }>(findingsSql, [
      v.account, run.id, users, q.rule ?? null, q.severity ?? null, q.entity ?? null, PAGE_SIZE, (q.page - 1) * PAGE_SIZE,
    ]),
    store.db.query<{ rule: string; count: number }>(byRuleSql, [v.account, run.id, users]),
    userNames(store, v.account),
    store.db.query<{ status: string; n: number }>(progressSql, [v.account, run.id]),
    store.db.query<StalePage['moves'][number] & { total: string | number }>(movesSql, [v.account, run.id, users]),
  ]);
  const count = (st: string[]) => progress.rows.filter((r) => st.includes(r.status)).reduce((a, r) => a + r.n, 0);
  const total = Number(rows.rows[0]?.total ?? 0);
  return {
    run: runInfo(run),
    filters: q,
    total,
    pages: Math.ceil(total / PAGE_SIZE),
    findings: rows.rows.map((r) => ({ ...r.finding, owner: r.finding.ownerId ? (names.get(r.finding.ownerId) ?? r.finding.ownerId) : '' })),
    byRule: byRule.rows,
    movesTotal: Number(moves.rows[0]?.total ?? 0),
    moves: moves.rows.map(({ total: _total, ...m }) => m),
    // A run moves records across departments: only an admin applies or undoes it.
    canApply: v.role === 'admin',
    progress: run.appliedAt ? { pending: count(['pending', 'sending']), done: count(['done']), failed: count(['failed']) } : null,
  };
}
