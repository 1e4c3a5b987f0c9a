import { describe, expect, it } from 'vitest';
import type { EntityName, ModelInput } from '../../src/model/index.js';
import { createLogger } from '../../src/log/logger.js';
import { runPlugin } from '../../src/runtime/plugins.js';
import { forecast, type ForecastRow } from '../../plugins/forecast/index.js';
import { cycleCdf, newLeadWins, smoothed } from '../../plugins/forecast/model.js';
import { testPlugin } from '../contract/test-plugin.js';
import { drivers } from '../helpers/drivers.js';
import { deal } from '../helpers/fixtures.js';

// Moscow midnight of 15 February: 45 days left of the 90-day first quarter.
const now = new Date('2026-02-14T21:00:00Z');
const t = (s: string) => `${s}T09:00:00.000Z`;
const stage = (id: string, semantics: 'open' | 'won' | 'lost'): ModelInput<'stages'> => ({
  externalId: id, entity: 'deal', pipelineId: '0', sourceStageId: id, name: id, semantics, sort: 1,
});
const won = (id: string, stageId: string, amount: string, closed: string, o: Partial<ModelInput<'deals'>> = {}) =>
  deal(id, { responsibleId: '1', stageId, amount, createdAt: t('2025-09-01'), closedAt: t(closed), updatedAt: t(closed), ...o });
const entered = (id: string, dealId: string, day: string): ModelInput<'stage_changes'> => ({ externalId: id, entity: 'deal', ownerId: dealId, toStageId: 'WORK', at: t(day) });

const leads: ModelInput<'leads'>[] = [
  // One older lead and nine of the last 90 days: 0.1 a day; two of the ten won, each 30 days after the lead.
  { externalId: 'L0', title: 'L0', stageId: 'L', utmSource: 'yandex', createdAt: t('2025-10-01'), updatedAt: t('2025-10-01') },
  ...Array.from({ length: 9 }, (_, i) => ({ externalId: `L${i + 1}`, title: 'L', stageId: 'L', utmSource: 'yandex', createdAt: t(`2025-11-${String(20 + i)}`), updatedAt: t('2025-11-20') })),
];
const model: Partial<{ [E in EntityName]: ModelInput<E>[] }> = {
  users: [{ externalId: '1', name: 'Анна', active: true, departmentIds: ['1'], managerId: '9' }, { externalId: '9', name: 'Дмитрий', active: true, departmentIds: ['1'] }],
  stages: [stage('NEW', 'open'), stage('WORK', 'open'), stage('WON', 'won'), stage('LOSE', 'lost')],
  leads,
  deals: [
    // WORK's history: four deals reached it, two won, one of them within 45 days of reaching it.
    won('H1', 'WON', '100000', '2025-10-11'),
    won('H2', 'WON', '100000', '2025-12-20'),
    won('H3', 'LOSE', '100000', '2025-10-20'),
    won('H4', 'LOSE', '100000', '2025-10-21'),
    won('LW1', 'WON', '100000', '2025-10-31', { leadId: 'L0' }),
    won('LW2', 'WON', '100000', '2025-12-20', { leadId: 'L1' }),
    won('W1', 'WON', '200000', '2026-01-20'),
    deal('O1', { responsibleId: '1', stageId: 'WORK', amount: '400000', createdAt: t('2026-01-10'), updatedAt: t('2026-01-10') }),
    deal('O2', { responsibleId: '1', stageId: 'WORK', amount: '100000', createdAt: t('2026-01-10'), updatedAt: t('2026-01-10') }),
    deal('O3', { responsibleId: '1', stageId: 'NEW', amount: '50000', createdAt: t('2026-02-01'), updatedAt: t('2026-02-01') }),
  ],
  stage_changes: [entered('e1', 'H1', '2025-10-01'), entered('e2', 'H2', '2025-10-01'), entered('e3', 'H3', '2025-10-01'), entered('e4', 'H4', '2025-10-01')],
};
// LW2 closes 2025-12-20 for lead L1 of 2025-11-20: 30 days; LW1 closes 2025-10-31 for L0 of 2025-10-01: 30 days.
const config = { plans: { '2026-Q1': '650000' } };

describe('forecast: the arithmetic', () => {
  it('smooths win rates, reads cycle deciles as a CDF, and counts only leads that can close in time', () => {
    expect(smoothed(2, 4)).toBe(0.5);
    expect(smoothed(0, 0)).toBe(0.5);
    expect(cycleCdf([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 25)).toBeCloseTo(0.25, 12);
    expect(cycleCdf([30, 30, 30, 30, 30, 30, 30, 30, 30, 30], 31)).toBe(1);
    // 45 days at 0.1 leads a day, 20% win, all after 30 days: days 0..14 count whole (15), the last 30 days
    // count x/300 for x = 29.5 .. 0.5 (the ramp below the first decile): 450/300 = 1.5. Σ F = 16.5.
    const r = newLeadWins(0.1, 0.2, Array(10).fill(30) as number[], 45);
    expect(r.wins).toBeCloseTo(0.1 * 0.2 * 16.5, 12);
    expect(r.winsPerLead).toBeCloseTo((0.2 * 16.5) / 45, 12);
  });
});

describe.each(drivers)('forecast: a known quarter ($name)', ({ open }) => {
  it('adds won, weighted pipeline and future leads, with a range, a shortfall per channel and capacity', async () => {
    const opened = await open();
    const store = opened.store;
    try {
      await store.accounts.save({ id: 'acc', kind: 'bitrix24', name: 'acc' });
      const acc = store.forAccount('acc');
      for (const [entity, records] of Object.entries(model)) await acc.upsert(entity as EntityName, records as never[]);
      const r = await runPlugin({ store, units: { adapters: [], plugins: [forecast] }, log: createLogger('silent') }, 'forecast', 'acc', { now, config });
      const rows = r.results as ForecastRow[];
      // WORK: p = (2 + 1) / (4 + 2) = 0.5, in time 1 of 2 wins: 0.25 of 500,000. NEW: no history, no timing: 0.
      expect(rows.find((x) => x.id === 'WORK')).toEqual({ kind: 'stage', id: 'WORK', count: 2, probability: 0.5, inQuarter: 0.5, expected: 125000 });
      expect(rows.find((x) => x.id === 'NEW')).toMatchObject({ probability: 0.5, inQuarter: 0, expected: 0 });
      // yandex: 0.1 a day × 0.2 × 16.5 × 100,000 = 33,000; one lead now is worth 0.2 × 16.5 / 45 × 100,000 = 7,333.33.
      expect(rows.find((x) => x.id === 'yandex')).toMatchObject({ kind: 'channel', count: 5, probability: 0.2, expected: 33000, valuePerLead: 7333, leadsToCloseGap: 40 });
      const expected = 200000 + 125000 + 33000;
      // Variance: 170,000,000,000 × 0.25 × 0.75 for WORK (Σ amount²: 400,000² + 100,000²) plus 0.33 × 100,000² for new leads.
      const sd = Math.sqrt(170_000_000_000 * 0.25 * 0.75 + 0.33 * 100_000 ** 2);
      const z = 1.6448536269514722;
      expect(r.summary).toMatchObject({
        quarter: '2026-Q1', daysLeft: 45, plan: '650000', won: '200000', pipeline: 125000, fromNewLeads: 33000, expected, gap: 650000 - expected,
        range: { low: 200000, high: Math.round(expected + z * sd), confidence: 0.9 },
      });
      // History before the quarter: 6 closed by one manager in one quarter, 4 won at 100,000. The gap of 292,000
      // needs 292,000 / (4/6 × 100,000) = 4.38 -> 5 closings; 2 active × 6 × 45/90 = 6 can be closed.
      expect(r.summary.capacity).toEqual({ activeManagers: 2, dealsPerManagerPerQuarter: 6, winRate: 0.6667, averageCheck: 100000, dealsToCloseGap: 5, dealsTeamCanClose: 6, managersMissing: 0 });
      expect(r.writes).toHaveLength(1);
      expect(r.writes[0]).toMatchObject({ key: 'forecast:task:2026-Q1:w7:9', payload: { responsibleId: '9', title: expect.stringMatching(/^Прогноз на 2026-Q1: 358\s000 ₽/) } });
    } finally {
      await opened.dispose();
    }
  });
});

testPlugin({ plugin: forecast, model, now, config, invalidConfigs: [{ confidence: 1 }, { plans: { '2026-Q5': '1' } }] });
