import { describe, expect, it } from 'vitest';
import type { EntityName, ModelInput } from '../../src/model/index.js';
import { createLogger } from '../../src/log/logger.js';
import { runPlugin } from '../../src/runtime/plugins.js';
import type { Store } from '../../src/store/index.js';
import { kpi, type KpiResult } from '../../plugins/kpi/index.js';
import { normalise, percentileRank } from '../../plugins/kpi/score.js';
import { testPlugin } from '../contract/test-plugin.js';
import { drivers } from '../helpers/drivers.js';
import * as q from '../../plugins/kpi/sql.js';
import { deal } from '../helpers/fixtures.js';

const now = new Date('2026-03-15T12:00:00Z');
const t = (s: string) => `${s}:00.000Z`;
const user = (id: string, name: string, manager?: string): ModelInput<'users'> => ({
  externalId: id, name, active: true, departmentIds: ['10'], ...(manager ? { managerId: manager } : {}),
});
const stage = (id: string, semantics: 'open' | 'won' | 'lost'): ModelInput<'stages'> => ({
  externalId: id, entity: 'deal', pipelineId: '0', sourceStageId: id, name: id, semantics, sort: 1,
});
const lead = (id: string, owner: string, created: string): ModelInput<'leads'> => ({
  externalId: id, title: id, stageId: 'L_NEW', responsibleId: owner, createdAt: t(created), updatedAt: t(created),
});
const call = (id: string, owner: string, leadId: string, at: string, seconds: number): ModelInput<'activities'> => ({
  externalId: id, kind: 'call', ownerType: 'lead', ownerId: leadId, responsibleId: owner, completed: true,
  completedAt: t(at), durationSeconds: seconds, createdAt: t(at), updatedAt: t(at),
});
const closed = (id: string, owner: string, stageId: string, amount: string, created: string, closedAt: string, o: Partial<ModelInput<'deals'>> = {}) =>
  deal(id, { responsibleId: owner, stageId, amount, createdAt: t(created), closedAt: t(closedAt), updatedAt: t(closedAt), ...o });

/** February: Анна (1) closes more, Борис (2) closes surer; Дмитрий (9) heads them. */
const model: Partial<{ [E in EntityName]: ModelInput<E>[] }> = {
  users: [user('1', 'Анна', '9'), user('2', 'Борис', '9'), user('9', 'Дмитрий')],
  stages: [stage('NEW', 'open'), stage('WON', 'won'), stage('LOSE', 'lost')],
  leads: [lead('L1', '1', '2026-02-02T10:00'), lead('L2', '1', '2026-02-03T10:00'), lead('L3', '1', '2026-02-04T10:00'), lead('L4', '1', '2026-02-05T10:00'), lead('L5', '2', '2026-02-03T10:00')],
  activities: [
    call('c1', '1', 'L1', '2026-02-02T12:00', 120), // 2 h to first contact, counts 1
    call('c2', '1', 'L2', '2026-02-03T14:00', 30), // 4 h, a short call: 0.1
    call('c3', '1', 'L3', '2026-02-04T16:00', 90), // 6 h, counts 1
  ],
  deals: [
    closed('A1', '1', 'WON', '100000', '2026-01-20T12:00', '2026-02-10T12:00', { leadId: 'L1' }), // 21 days
    closed('A2', '1', 'WON', '50000', '2026-02-01T12:00', '2026-02-11T12:00', { leadId: 'L2' }), // 10 days
    closed('A3', '1', 'LOSE', '10000', '2026-02-01T12:00', '2026-02-12T12:00'),
    closed('B1', '2', 'WON', '30000', '2026-02-01T12:00', '2026-02-21T12:00', { contactId: 'C9' }), // 20 days
    deal('B2', { responsibleId: '2', stageId: 'NEW', contactId: 'C9', createdAt: t('2026-02-20T12:00'), updatedAt: t('2026-02-20T12:00') }),
  ],
};
const config = { periods: 2, minRecords: 3, plans: { '1': { '2026-02': '100000' } } };

async function run(store: Store) {
  await store.accounts.save({ id: 'acc', kind: 'bitrix24', name: 'acc' });
  const acc = store.forAccount('acc');
  for (const [entity, records] of Object.entries(model)) await acc.upsert(entity as EntityName, records as never[]);
  return runPlugin({ store, units: { adapters: [], plugins: [kpi] }, log: createLogger('silent') }, 'kpi', 'acc', { now, config });
}

describe('kpi: normalisation', () => {
  it('ranks by percentile with ties at their middle, and maps z-scores and min-max to 0..1', () => {
    expect(percentileRank([1, 2, 2, 4], 2)).toBe((1 + 2 / 2) / 4);
    expect(normalise('minmax', [10, 20, 30], 25)).toBe(0.75);
    expect(normalise('minmax', [5, 5], 5)).toBe(0.5);
    // [1, 3]: mean 2, population sd 1, so 3 is z = 1 and Φ(1) = 0.8413447460685429
    expect(normalise('zscore', [1, 3], 3)).toBeCloseTo(0.8413447460685429, 12);
  });
});

describe.each(drivers)('kpi: a known month ($name)', ({ open }) => {
  it('lists the last periods once each in the company time zone, the current one last', async () => {
    const opened = await open();
    try {
      const periods = async (now: string, unit: 'month' | 'quarter', n: number) =>
        (await opened.store.db.query<{ period: string }>(q.periodsSql, [now, 'Europe/Moscow', unit, q.labelFormat(unit), n])).rows.map((r) => r.period);
      // 23 November: months stepped from 31 August 21:00 UTC used to drift to the 31st and list October twice.
      expect(await periods('2026-11-23T12:00:00Z', 'month', 3)).toEqual(['2026-09', '2026-10', '2026-11']);
      expect(await periods('2026-03-31T21:30:00Z', 'month', 2)).toEqual(['2026-03', '2026-04']);
      expect(await periods('2026-11-23T12:00:00Z', 'quarter', 2)).toEqual(['2026-Q3', '2026-Q4']);
    } finally {
      await opened.dispose();
    }
  });

  it('scores, ranks and explains each manager, and tells the head', async () => {
    const opened = await open();
    try {
      const r = await run(opened.store);
      const feb = (r.results as KpiResult[]).filter((x) => x.period === '2026-02');
      const anna = feb.find((x) => x.userId === '1')!;
      const boris = feb.find((x) => x.userId === '2')!;
      expect(r.summary.periods).toEqual(['2026-02', '2026-03']);
      expect(anna.kpis).toEqual({
        leads: 4, firstContactHours: 4, activityScore: 2.1, leadToDeal: 0.5, dealToWon: 0.6667, revenue: 150000,
        attainment: 1.5, averageCheck: 75000, cycleDays: 15.5, overdueShare: null, staleShare: null, completeness: 0,
      });
      expect(anna.revenue).toBe('150000');
      expect(boris.kpis).toMatchObject({ leads: 1, firstContactHours: null, activityScore: 0, leadToDeal: 0, dealToWon: 1, attainment: null, cycleDays: 20, completeness: 1 });
      // Two ranked managers: the better gets percentile 0.75, the other 0.25; a KPI only one has gives 0.5.
      // Анна: (.05·.5 + .1·.75 + .1·.75 + .15·.25 + .15·.75 + .2·.5 + .05·.75 + .05·.75 + .05·.25) / 0.9 = 0.5125 / 0.9
      expect(anna.score).toBe(56.9);
      // Борис: (.1·.25 + .1·.25 + .15·.75 + .15·.25 + .05·.25 + .05·.25 + .05·.75) / 0.65 = 0.2625 / 0.65
      expect(boris.score).toBe(40.4);
      expect([anna.rank, boris.rank]).toEqual([1, 2]);
      expect(anna.contributions.find((c) => c.kpi === 'cycleDays')).toEqual({ kpi: 'cycleDays', value: 15.5, normalized: 0.75, weight: 0.05, points: 4.17 });
      expect(anna.contributions.reduce((a, c) => a + c.points, 0)).toBeCloseTo(56.94, 1);
      // March has no closed work yet: nobody is ranked, and the stale share shows Борис's idle deal.
      const march = (r.results as KpiResult[]).filter((x) => x.period === '2026-03');
      expect(march.every((x) => x.rank === null && x.note?.ru.startsWith('Мало данных'))).toBe(true);
      expect(march.find((x) => x.userId === '2')?.kpis.staleShare).toBe(1);
      expect(r.writes).toHaveLength(1);
      expect(r.writes[0]).toMatchObject({ key: 'kpi:task:2026-02:9', kind: 'task', payload: { title: 'Рейтинг менеджеров за 2026-02', responsibleId: '9' } });
      expect(r.writes[0]!.payload.description).toContain('1. Анна: 56,9 (выручка 12,5, выполнение плана 11,1, активность 8,3)');
    } finally {
      await opened.dispose();
    }
  });
});

testPlugin({ plugin: kpi, model, now, config, invalidConfigs: [{ normalise: 'median' }, { attainmentCap: 0.5 }, { plans: { '1': { '2026-02': '1,5' } } }] });
