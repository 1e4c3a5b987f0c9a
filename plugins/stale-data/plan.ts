import type { OwnerlessRow } from './rules.js';

/**
 * Ids in numeric order ("2" before "10"), as `a.localeCompare(b, 'en', { numeric: true })` orders them:
 * one collator for all, since localeCompare with options builds a new one on every call (seconds over
 * the tens of thousands of comparisons of a large turnover).
 */
export const numeric = new Intl.Collator('en', { numeric: true }).compare;

export interface UserRow {
  id: string;
  name: string;
  active: boolean;
  department_ids: string[];
  load: number;
}

/** A record changing hands: deals and leads take their orphaned contact and company along. */
export interface Move {
  entity: 'deal' | 'lead' | 'contact' | 'company';
  id: string;
  title: string;
  from: string;
  fromName: string;
  to: string;
  toName: string;
  /** The deal or lead this record moves with (itself for the head of a group). */
  group: string;
}

export interface Plan {
  moves: Move[];
  /** Records nobody can take: no active user in the department, the pool, or the account. */
  unassigned: { entity: string; id: string; reason: string }[];
  /** Open deals and leads per new owner after the plan. */
  loads: { userId: string; name: string; before: number; after: number }[];
}

/**
 * Gives each dismissed manager's records to active managers of the same department (or the pool, or
 * anyone active), balanced by open load: each group goes to whoever has the fewest open deals and leads
 * at that moment (ties: the lower id). A deal keeps its contact and company with it; open activities go
 * along through the CRM's own reassignment. Deterministic: groups in entity then id order.
 */
export function planReassignment(rows: readonly OwnerlessRow[], users: readonly UserRow[], pool: readonly string[]): Plan {
  const active = users.filter((u) => u.active);
  const byId = new Map(users.map((u) => [u.id, u]));
  const load = new Map(active.map((u) => [u.id, u.load]));
  const orphan = new Map(rows.filter((r) => r.entity !== 'activity').map((r) => [`${r.entity}:${r.id}`, r]));
  const taken = new Set<string>();
  const moves: Move[] = [];
  const unassigned: Plan['unassigned'] = [];

  // Who may take a dismissed manager's records depends on the manager alone: worked out once per manager.
  const eligible = new Map<string, UserRow[]>();
  const candidates = (from: string) => {
    let list = eligible.get(from);
    if (!list) {
      const depts = new Set(byId.get(from)?.department_ids ?? []);
      const same = active.filter((u) => u.department_ids.some((d) => depts.has(d)));
      const inPool = same.length ? [] : active.filter((u) => pool.includes(u.id));
      list = same.length ? same : inPool.length ? inPool : active;
      eligible.set(from, list);
    }
    return list;
  };
  /** The first of the candidates ordered by load, then id: a pass instead of sorting them for each group. */
  const leastLoaded = (list: readonly UserRow[]) => {
    let best: UserRow | undefined;
    for (const u of list) if (!best || (load.get(u.id)! - load.get(best.id)! || numeric(u.id, best.id)) < 0) best = u;
    return best;
  };

  const heads = [...orphan.values()].sort((a, b) => rank(a.entity) - rank(b.entity) || numeric(a.id, b.id));
  for (const head of heads) {
    const key = `${head.entity}:${head.id}`;
    if (taken.has(key)) continue;
    const members = [head];
    for (const [entity, id] of [['contact', head.contact_id], ['company', head.company_id]] as const) {
      const m = id ? orphan.get(`${entity}:${id}`) : undefined;
      if (m && !taken.has(`${entity}:${id}`) && m.owner === head.owner) members.push(m);
    }
    const pick = leastLoaded(candidates(head.owner));
    if (!pick) {
      for (const m of members) unassigned.push({ entity: m.entity, id: m.id, reason: 'no active user to take it' });
      members.forEach((m) => taken.add(`${m.entity}:${m.id}`));
      continue;
    }
    for (const m of members) {
      taken.add(`${m.entity}:${m.id}`);
      moves.push({ entity: m.entity as Move['entity'], id: m.id, title: m.title, from: m.owner, fromName: m.owner_name, to: pick.id, toName: pick.name, group: key });
    }
    const weight = members.filter((m) => m.entity === 'deal' || m.entity === 'lead').length;
    load.set(pick.id, load.get(pick.id)! + weight);
  }
  const receivers = new Set(moves.map((m) => m.to));
  const loads = active
    .filter((u) => receivers.has(u.id))
    .map((u) => ({ userId: u.id, name: u.name, before: u.load, after: load.get(u.id)! }))
    .sort((a, b) => numeric(a.userId, b.userId));
  return { moves, unassigned, loads };
}

const rank = (entity: string) => ['deal', 'lead', 'contact', 'company'].indexOf(entity);
