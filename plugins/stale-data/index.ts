import { definePlugin } from '../../src/sdk/index.js';
import { staleConfig } from './config.js';
import { planReassignment, type UserRow } from './plan.js';
import { findStale, type Finding } from './rules.js';
import { contextSql, usersSql } from './sql.js';
import { planWrites, type Context } from './writes.js';

/**
 * Stale data after manager turnover: what a dismissed manager left behind, idle and overdue deals,
 * missing data and duplicates; and a balanced plan that hands the orphans to active colleagues.
 */
export const staleData = definePlugin<typeof staleConfig, Finding>({
  id: 'stale-data',
  config: staleConfig,
  reads: ['users', 'stages', 'deals', 'leads', 'contacts', 'companies', 'activities', 'stage_changes'],
  writes: [
    { kind: 'reassign', policy: 'always', description: 'a dismissed manager’s deal, lead, contact or company to an active colleague, open activities along' },
    { kind: 'task', policy: 'always', description: 'a hand-over task for the new owner: what was last done, what is overdue' },
    { kind: 'comment', policy: 'always', description: 'a note on the record: from whom it came and why' },
  ],
  async run(ctx) {
    const { findings, ownerless, totals } = await findStale(ctx.read, ctx.config, ctx.now);
    const users = await ctx.read.sql<UserRow>(usersSql);
    const plan = planReassignment(ownerless, users, ctx.config.pool);
    const heads = plan.moves.filter((m) => m.entity === 'deal' || m.entity === 'lead');
    const context = new Map<string, Context>();
    if (heads.length) {
      const rows = await ctx.read.sql<Context & { owner_type: string; owner_id: string }>(contextSql, [ctx.now.toISOString(), heads.map((m) => m.id)]);
      for (const r of rows) context.set(`${r.owner_type}:${r.owner_id}`, r);
    }
    return {
      results: findings,
      summary: { byRule: totals, listed: findings.length, moves: plan.moves, unassigned: plan.unassigned, loads: plan.loads },
      writes: planWrites(plan.moves, context, ctx.host, ctx.now, ctx.config.taskDays),
    };
  },
});
