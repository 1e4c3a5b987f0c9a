import type { PlannedWrite } from '../../src/sdk/index.js';
import type { KpiId } from './config.js';

export interface Rated {
  userId: string;
  name: string;
  score: number | null;
  rank: number | null;
  contributions: { kpi: KpiId; points: number }[];
}

const label: Record<KpiId, string> = {
  leads: 'лиды',
  firstContactHours: 'первый контакт',
  activityScore: 'активность',
  leadToDeal: 'лид → сделка',
  dealToWon: 'сделка → успех',
  revenue: 'выручка',
  attainment: 'выполнение плана',
  averageCheck: 'средний чек',
  cycleDays: 'цикл сделки',
  overdueShare: 'просрочки',
  staleShare: 'зависшие сделки',
  completeness: 'заполненность',
};

const points = (x: number) => x.toFixed(1).replace('.', ',');

/**
 * One task per department head with the rating of their people for a closed period: rank, score and the
 * three KPIs that gave the most points, so that each score explains itself where the head works.
 */
export function headTasks(
  rated: readonly Rated[],
  users: readonly { id: string; head_id: string | null; manager_id: string | null; active: boolean }[],
  host: string,
  period: string,
): PlannedWrite[] {
  const headOf = new Map(users.map((u) => [u.id, u.manager_id ?? u.head_id]));
  const active = new Set(users.filter((u) => u.active).map((u) => u.id));
  const byHead = new Map<string, Rated[]>();
  for (const r of rated) {
    const head = headOf.get(r.userId);
    if (!head || head === r.userId || !active.has(head) || r.rank === null) continue;
    byHead.set(head, [...(byHead.get(head) ?? []), r]);
  }
  return [...byHead.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([head, people]) => {
      const lines = people
        .sort((a, b) => a.rank! - b.rank!)
        .map((p) => {
          const top = [...p.contributions].sort((a, b) => b.points - a.points).slice(0, 3);
          return `${p.rank}. ${p.name}: ${points(p.score!)} (${top.map((t) => `${label[t.kpi]} ${points(t.points)}`).join(', ')})`;
        });
      const title = `Рейтинг менеджеров за ${period}`;
      const text = `${lines.join('\n')}\n\nБаллы из 100; в скобках: что дало больше всего баллов. Место: среди всех менеджеров компании.`;
      return {
        key: `kpi:task:${period}:${head}`,
        adapter: host,
        kind: 'task',
        payload: { title, description: text, responsibleId: head },
      };
    });
}
