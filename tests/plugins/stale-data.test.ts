import { describe, expect, it } from 'vitest';
import type { EntityName, ModelInput } from '../../src/model/index.js';
import { createLogger } from '../../src/log/logger.js';
import { runPlugin } from '../../src/runtime/plugins.js';
import { Store } from '../../src/store/index.js';
import { staleData } from '../../plugins/stale-data/index.js';
import { testPlugin } from '../contract/test-plugin.js';
import { drivers } from '../helpers/drivers.js';
import { deal } from '../helpers/fixtures.js';

const now = new Date('2026-03-01T00:00:00Z');
const at = (day: string) => `${day}T00:00:00.000Z`;
const user = (id: string, name: string, active: boolean, dept: string): ModelInput<'users'> => ({ externalId: id, name, active, departmentIds: [dept] });
const stage = (id: string, semantics: 'open' | 'won' | 'lost', sort: number): ModelInput<'stages'> => ({
  externalId: id, entity: 'deal', pipelineId: '0', sourceStageId: id, name: id, semantics, sort,
});
const contact = (id: string, owner: string, phones: string[], emails: string[] = []): ModelInput<'contacts'> => ({
  externalId: id, name: `Контакт ${id}`, phones, emails, responsibleId: owner, createdAt: at('2026-01-01'), updatedAt: at('2026-01-01'),
});
const task = (id: string, owner: string, dealId: string, created: string, o: Partial<ModelInput<'activities'>> = {}): ModelInput<'activities'> => ({
  externalId: id, kind: 'task', subject: `Дело ${id}`, ownerType: 'deal', ownerId: dealId, responsibleId: owner, completed: false,
  createdAt: at(created), updatedAt: at(created), ...o,
});

/** Борис (2) is dismissed; Анна (1) and Вера (3) work in his department, Глеб (4) in another. */
const model: Partial<{ [E in EntityName]: ModelInput<E>[] }> = {
  users: [user('1', 'Анна', true, '10'), user('2', 'Борис', false, '10'), user('3', 'Вера', true, '10'), user('4', 'Глеб', true, '20')],
  stages: [stage('NEW', 'open', 1), stage('WORK', 'open', 2), stage('WON', 'won', 3), stage('LOSE', 'lost', 4)],
  deals: [
    deal('D1', { responsibleId: '2', stageId: 'NEW', contactId: 'C1', companyId: 'K1', createdAt: at('2026-02-20'), updatedAt: at('2026-02-20') }),
    deal('D2', { responsibleId: '2', stageId: 'WORK', createdAt: at('2026-01-01'), updatedAt: at('2026-01-01') }),
    deal('D3', { responsibleId: '1', stageId: 'NEW', amount: '0', contactId: 'C2', closeDate: at('2026-02-10'), createdAt: at('2026-02-01'), updatedAt: at('2026-02-01') }),
    deal('D4', { responsibleId: '3', stageId: 'WON', createdAt: at('2025-12-01'), updatedAt: at('2025-12-01') }),
    deal('D5', { responsibleId: '1', stageId: 'WORK', contactId: 'C3', createdAt: at('2026-02-27'), updatedAt: at('2026-02-27') }),
  ],
  contacts: [
    contact('C1', '2', ['+7 (912) 345-67-89']),
    contact('C2', '1', ['8 912 345 67 89']),
    contact('C3', '3', [], ['Ivan@Example.ru']),
    contact('C4', '4', [], [' ivan@example.ru']),
  ],
  companies: [{ externalId: 'K1', name: 'ООО Ромашка', phones: ['+7 495 000-00-00'], emails: [], responsibleId: '2', createdAt: at('2026-01-01'), updatedAt: at('2026-01-01') }],
  activities: [
    task('A1', '2', 'D1', '2026-02-21', { deadline: at('2026-03-05') }),
    task('A2', '1', 'D3', '2026-02-10', { deadline: at('2026-02-20') }),
    task('A3', '1', 'D5', '2026-02-28', { completed: true, completedAt: at('2026-02-28') }),
    task('A4', '1', 'D5', '2026-02-28', { deadline: at('2026-03-10') }),
  ],
};

async function run(m: typeof model, config: Record<string, unknown> = {}, given?: Store) {
  const store = given ?? (await Store.open({ memory: true }));
  try {
    await store.accounts.save({ id: 'acc', kind: 'bitrix24', name: 'acc' });
    const acc = store.forAccount('acc');
    for (const [entity, records] of Object.entries(m)) await acc.upsert(entity as EntityName, records as never[]);
    return await runPlugin({ store, units: { adapters: [], plugins: [staleData] }, log: createLogger('silent') }, 'stale-data', 'acc', { now, config });
  } finally {
    if (!given) await store.close();
  }
}

describe('stale-data: every rule on a known scenario', () => {
  it.each(drivers)('finds exactly what the scenario holds, with reasons in both languages ($name)', async ({ open }) => {
    const opened = await open();
    const r = await run(model, {}, opened.store).finally(() => opened.dispose());
    const found = (r.results as { rule: string; entity: string; id: string }[]).map((f) => `${f.rule} ${f.entity} ${f.id}`);
    expect(found).toEqual([
      'owner_inactive activity A1',
      'owner_inactive company K1',
      'owner_inactive contact C1',
      'owner_inactive deal D1',
      'owner_inactive deal D2',
      // D2: created 59 days ago and never touched; D3: last touched by A2 19 days ago (limit: 14 by default).
      'no_activity deal D2',
      'no_activity deal D3',
      'no_next_task deal D2',
      'overdue_task activity A2',
      'close_date_past deal D3',
      // D2 has neither contact nor company; D3 has no amount.
      'missing_data deal D2',
      'missing_data deal D3',
      // C1 and C2 are one phone in two notations; C3 and C4 one e-mail in two cases.
      'duplicate_contact contact C1',
      'duplicate_contact contact C2',
      'duplicate_contact contact C3',
      'duplicate_contact contact C4',
    ]);
    const byKey = new Map((r.results as { rule: string; id: string; reason: { ru: string; en: string }; details: Record<string, unknown> }[]).map((f) => [`${f.rule} ${f.id}`, f]));
    expect(byKey.get('no_activity D2')?.details).toMatchObject({ idleDays: 59, limitDays: 14 });
    expect(byKey.get('no_activity D3')?.reason).toEqual({
      ru: 'Нет активности 19 дней; на этой стадии обычно не дольше 14 дней',
      en: 'No activity for 19 days; deals usually leave this stage within 14 days',
    });
    expect(byKey.get('overdue_task A2')?.details).toMatchObject({ lateDays: 9, ownerId: 'D3' });
    expect(byKey.get('missing_data D3')?.details).toEqual({ missing: ['amount'] });
    expect(byKey.get('duplicate_contact C2')?.details).toEqual({ by: 'phone', value: '79123456789', duplicates: ['C1'] });
    expect(byKey.get('owner_inactive D1')?.reason.ru).toBe('Ответственный «Борис» уволен или деактивирован');
  });

  it("hands the dismissed manager's deals to the least loaded colleague of his department, contact and company along", async () => {
    const r = await run(model);
    const moves = (r.summary.moves as { entity: string; id: string; to: string }[]).map((m) => `${m.entity} ${m.id} -> ${m.to}`);
    // Вера has no open deal, Анна two: D1 with C1 and K1 goes to Вера (load 1), then D2 too (1 < 2). Глеб is in another department.
    expect(moves).toEqual(['deal D1 -> 3', 'contact C1 -> 3', 'company K1 -> 3', 'deal D2 -> 3']);
    expect(r.summary.loads).toEqual([{ userId: '3', name: 'Вера', before: 0, after: 2 }]);
    expect(r.writes.map((w) => w.key)).toEqual([
      'stale-data:reassign:deal:D1:3',
      'stale-data:task:deal:D1:3',
      'stale-data:comment:deal:D1:3',
      'stale-data:reassign:contact:C1:3',
      'stale-data:reassign:company:K1:3',
      'stale-data:reassign:deal:D2:3',
      'stale-data:task:deal:D2:3',
      'stale-data:comment:deal:D2:3',
    ]);
    const reassign = r.writes[0]!;
    expect(reassign).toMatchObject({ adapter: 'bitrix24', payload: { entity: 'deal', id: 'D1', toUserId: '3', withOpenActivities: true } });
    expect(reassign.undo).toEqual({ kind: 'reassign', payload: { entity: 'deal', id: 'D1', toUserId: '2', withOpenActivities: true } });
    expect(r.writes[1]!.payload).toMatchObject({
      title: 'Принять сделку «Сделка D1» от Борис',
      responsibleId: '3',
      deadline: '2026-03-03T00:00:00.000Z',
      description: expect.stringContaining('Последнее действие: «Дело A1», 2026-02-21.'),
    });
  });

  it('lists at most limitPerRule findings per rule, counts them all, and still plans every orphan', async () => {
    const r = await run(model, { limitPerRule: 1 });
    const listed = (rule: string) => (r.results as { rule: string }[]).filter((f) => f.rule === rule).length;
    expect(r.summary.byRule).toEqual({ owner_inactive: 5, no_activity: 2, no_next_task: 1, overdue_task: 1, close_date_past: 1, missing_data: 2, duplicate_contact: 4 });
    expect([listed('owner_inactive'), listed('no_activity'), listed('duplicate_contact')]).toEqual([1, 1, 1]);
    // The most idle first: D2 (59 days) before D3 (19).
    expect((r.results as { rule: string; id: string }[]).find((f) => f.rule === 'no_activity')?.id).toBe('D2');
    expect((r.summary.moves as unknown[]).length).toBe(4);
  });

  it('takes the pool when the department has no one active, and a stage limit from its history', async () => {
    const history: ModelInput<'stage_changes'>[] = [];
    const closed: ModelInput<'deals'>[] = [];
    // 20 past deals stayed 1..20 days in WORK: the 80th percentile (interpolated) is 16.2 days.
    for (let k = 1; k <= 20; k++) {
      const start = Date.parse('2025-06-01T00:00:00Z') + k * 86_400_000 * 30;
      closed.push(deal(`H${k}`, { responsibleId: '1', stageId: 'WON', createdAt: new Date(start).toISOString(), updatedAt: new Date(start).toISOString() }));
      history.push({ externalId: `h${k}a`, entity: 'deal', ownerId: `H${k}`, toStageId: 'WORK', at: new Date(start).toISOString() });
      history.push({ externalId: `h${k}b`, entity: 'deal', ownerId: `H${k}`, fromStageId: 'WORK', toStageId: 'WON', at: new Date(start + k * 86_400_000).toISOString() });
    }
    const m = {
      ...model,
      users: [user('1', 'Анна', true, '10'), user('2', 'Борис', false, '30'), user('4', 'Глеб', true, '20')],
      deals: [
        ...closed,
        deal('S16', { responsibleId: '1', stageId: 'WORK', createdAt: at('2026-02-13'), updatedAt: at('2026-02-13') }),
        deal('S17', { responsibleId: '1', stageId: 'WORK', createdAt: at('2026-02-12'), updatedAt: at('2026-02-12') }),
        deal('B1', { responsibleId: '2', stageId: 'NEW', createdAt: at('2026-02-28'), updatedAt: at('2026-02-28') }),
      ],
      stage_changes: history,
      contacts: [],
      companies: [],
      activities: [],
    };
    const r = await run(m, { pool: ['4'], skip: ['no_next_task', 'missing_data'] });
    const idle = (r.results as { rule: string; id: string; details: Record<string, unknown> }[]).filter((f) => f.rule === 'no_activity');
    expect(idle.map((f) => [f.id, f.details.idleDays, f.details.limitDays])).toEqual([['S17', 17, 16.2]]);
    expect((r.summary.moves as { id: string; to: string }[]).map((x) => `${x.id}->${x.to}`)).toEqual(['B1->4']);
  });
});

testPlugin({ plugin: staleData, model, now, invalidConfigs: [{ stagePercentile: 1 }, { taskDays: 0 }, { colour: 'red' }] });
