import type { ModelReader } from '../../src/sdk/index.js';
import type { RuleId, Severity, StaleConfig } from './config.js';
import { numeric } from './plan.js';
import * as q from './sql.js';
import { reasons, type Reason } from './texts.js';

export type Entity = 'deal' | 'lead' | 'contact' | 'company' | 'activity';

/** One finding, as `svodka run stale-data --json` prints it and the dashboard lists it. */
export interface Finding {
  entity: Entity;
  id: string;
  rule: RuleId;
  severity: Severity;
  reason: Reason;
  ownerId: string | null;
  title: string;
  details: Record<string, string | number | boolean | string[] | null>;
}

export interface OwnerlessRow {
  entity: Entity;
  id: string;
  owner: string;
  owner_name: string;
  title: string;
  contact_id: string | null;
  company_id: string | null;
  owner_type: string | null;
  owner_id: string | null;
}

const DAY = 86_400_000;
/** `a.localeCompare(b)`, with the collator made once. */
const byLocale = new Intl.Collator().compare;
const daysSince = (now: Date, ms: number) => Math.floor((now.getTime() - ms) / DAY);

/**
 * Runs every rule not skipped; findings in rule order, then entity and id. Each rule lists at most
 * `limitPerRule` findings (the most pressing first: longest idle, most overdue) and counts them all in
 * `totals`, so that a million stale deals do not become a million objects in memory.
 */
export async function findStale(
  read: ModelReader,
  config: StaleConfig,
  now: Date,
): Promise<{ findings: Finding[]; ownerless: OwnerlessRow[]; totals: Partial<Record<RuleId, number>> }> {
  const at = now.toISOString();
  const on = (rule: RuleId) => !config.skip.includes(rule);
  const out: Finding[] = [];
  const totals: Partial<Record<RuleId, number>> = {};
  const capped = async <R>(rule: RuleId, sql: string, order: string, params: unknown[] = []): Promise<R[]> => {
    const rows = await read.sql<R & { total: number }>(
      `SELECT r.*, count(*) OVER ()::int AS total FROM (${sql}) r ORDER BY ${order} LIMIT ${config.limitPerRule}`,
      params,
    );
    totals[rule] = rows[0]?.total ?? 0;
    return rows;
  };
  // The plan needs every orphaned record; only the listing is capped.
  const ownerless = on('owner_inactive') ? await read.sql<OwnerlessRow>(q.ownerInactiveSql) : [];
  if (on('owner_inactive')) totals.owner_inactive = ownerless.length;
  for (const r of ownerless.slice(0, config.limitPerRule)) {
    out.push({ entity: r.entity, id: r.id, rule: 'owner_inactive', severity: 'high', reason: reasons.ownerInactive(r.owner_name), ownerId: r.owner, title: r.title, details: { ownerName: r.owner_name } });
  }
  // The rules over open deals in one statement (one pass over the deals), listed in the usual order.
  const dealIds = (['no_activity', 'no_next_task', 'close_date_past', 'missing_data'] as const).filter(on);
  const dealRows = new Map<RuleId, q.DealRow[]>(dealIds.map((id) => [id, []]));
  if (dealIds.length) {
    const idle = [config.stagePercentile, config.minStageSamples, config.minIdleDays, config.defaultIdleDays] as const;
    for (const r of await read.sql<q.DealRow>(q.dealRulesSql(dealIds, config.limitPerRule), q.dealRulesParams(dealIds, at, idle))) dealRows.get(r.rule)!.push(r);
  }
  /** A deal rule's listed findings, its total counted in its turn (so `totals` keeps the rule order). */
  const listed = (rule: q.DealRuleId) => {
    const rows = dealRows.get(rule);
    if (rows) totals[rule] = rows[0]?.total ?? 0;
    return rows ?? [];
  };
  for (const r of listed('no_activity')) {
    const idle = daysSince(now, r.last_ms);
    const limit = Math.round(r.limit_days * 10) / 10;
    out.push({ entity: 'deal', id: r.id, rule: 'no_activity', severity: 'medium', reason: reasons.noActivity(idle, limit), ownerId: r.owner, title: r.title, details: { idleDays: idle, limitDays: limit, lastTouch: new Date(r.last_ms).toISOString() } });
  }
  for (const r of listed('no_next_task')) {
    out.push({ entity: 'deal', id: r.id, rule: 'no_next_task', severity: 'low', reason: reasons.noNextTask(), ownerId: r.owner, title: r.title, details: {} });
  }
  if (on('overdue_task')) {
    const rows = await capped<{ id: string; owner: string | null; title: string; owner_type: string | null; owner_id: string | null; deadline_ms: number }>(
      'overdue_task',
      q.overdueSql,
      'deadline_ms, id',
      [at],
    );
    for (const r of rows) {
      const late = Math.max(daysSince(now, r.deadline_ms), 0);
      out.push({ entity: 'activity', id: r.id, rule: 'overdue_task', severity: 'medium', reason: reasons.overdueTask(late), ownerId: r.owner, title: r.title, details: { lateDays: late, ownerType: r.owner_type, ownerId: r.owner_id, deadline: new Date(r.deadline_ms).toISOString() } });
    }
  }
  for (const r of listed('close_date_past')) {
    const late = Math.max(daysSince(now, r.close_ms), 0);
    out.push({ entity: 'deal', id: r.id, rule: 'close_date_past', severity: 'medium', reason: reasons.closeDatePast(late), ownerId: r.owner, title: r.title, details: { lateDays: late, closeDate: new Date(r.close_ms).toISOString() } });
  }
  for (const r of listed('missing_data')) {
    const missing = [r.no_amount && 'amount', r.no_contact && 'contact', r.no_source && 'source'].filter((x): x is string => Boolean(x));
    out.push({ entity: 'deal', id: r.id, rule: 'missing_data', severity: 'low', reason: reasons.missingData(missing), ownerId: r.owner, title: r.title, details: { missing } });
  }
  if (on('duplicate_contact')) {
    const seen = new Set<string>();
    const rows = await capped<{ id: string; owner: string | null; title: string; by: 'phone' | 'email'; value: string; ids: string[] }>('duplicate_contact', q.duplicatesSql, 'id, by DESC, value');
    for (const r of rows) {
      // A contact duplicated by phone and by e-mail is one finding: the phone match, the stronger sign, speaks.
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      const others = r.ids.filter((x) => x !== r.id);
      out.push({ entity: 'contact', id: r.id, rule: 'duplicate_contact', severity: 'low', reason: reasons.duplicateContact(r.by, r.value, others.slice(0, 5)), ownerId: r.owner, title: r.title, details: { by: r.by, value: r.value, duplicates: others } });
    }
  }
  const order = new Map<string, number>(['owner_inactive', 'no_activity', 'no_next_task', 'overdue_task', 'close_date_past', 'missing_data', 'duplicate_contact'].map((r, i) => [r, i]));
  out.sort((a, b) => order.get(a.rule)! - order.get(b.rule)! || byLocale(a.entity, b.entity) || numeric(a.id, b.id));
  return { findings: out, ownerless, totals };
}
