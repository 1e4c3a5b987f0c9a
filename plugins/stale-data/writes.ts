import type { PlannedWrite } from '../../src/sdk/index.js';
import type { Move } from './plan.js';

export interface Context {
  last_subject: string | null;
  last_ms: number | null;
  overdue: number;
}

const entityRu = { deal: 'сделку', lead: 'лид', contact: 'контакт', company: 'компанию' } as const;

/**
 * The writes of a plan: each record to its new owner (undo: back to the previous one); for each deal
 * and lead, a hand-over task for the new owner with what was last done and what is overdue, and a
 * comment on the record saying who it came from and why.
 */
export function planWrites(moves: readonly Move[], context: ReadonlyMap<string, Context>, host: string, now: Date, taskDays: number): PlannedWrite[] {
  const out: PlannedWrite[] = [];
  const deadline = new Date(now.getTime() + taskDays * 86_400_000).toISOString();
  for (const m of moves) {
    const reassign = { entity: m.entity, id: m.id, withOpenActivities: true };
    out.push({
      key: `stale-data:reassign:${m.entity}:${m.id}:${m.to}`,
      adapter: host,
      kind: 'reassign',
      payload: { ...reassign, toUserId: m.to },
      undo: { kind: 'reassign', payload: { ...reassign, toUserId: m.from } },
    });
    if (m.entity !== 'deal' && m.entity !== 'lead') continue;
    const c = context.get(`${m.entity}:${m.id}`);
    const last = c?.last_subject && c.last_ms !== null ? `Последнее действие: «${c.last_subject}», ${new Date(c.last_ms).toISOString().slice(0, 10)}.` : 'Действий по ней ещё не было.';
    const overdue = c?.overdue ? ` Просроченных дел: ${c.overdue}.` : '';
    const title = `Принять ${entityRu[m.entity]} «${m.title}» от ${m.fromName}`.slice(0, 250);
    const description = `${m.fromName} больше не работает в компании, и эта запись передана вам. ${last}${overdue}`;
    out.push({
      key: `stale-data:task:${m.entity}:${m.id}:${m.to}`,
      adapter: host,
      kind: 'task',
      payload: { title, description, responsibleId: m.to, deadline, owner: { entity: m.entity, id: m.id } },
    });
    out.push({
      key: `stale-data:comment:${m.entity}:${m.id}:${m.to}`,
      adapter: host,
      kind: 'comment',
      payload: { entity: m.entity, id: m.id, text: `svodka: передано от ${m.fromName} к ${m.toName}, потому что прежний ответственный уволен или деактивирован.` },
    });
  }
  return out;
}
