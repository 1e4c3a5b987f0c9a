import { describe, expect, it } from 'vitest';
import type { EntityName, ModelInput } from '../../src/model/index.js';
import { createLogger } from '../../src/log/logger.js';
import { runPlugin } from '../../src/runtime/plugins.js';
import { adAnalytics, type AdResult } from '../../plugins/ad-analytics/index.js';
import { assignHoldout } from '../../plugins/ad-analytics/uplift.js';
import { testPlugin } from '../contract/test-plugin.js';
import { drivers } from '../helpers/drivers.js';
import { deal } from '../helpers/fixtures.js';

const now = new Date('2026-03-31T12:00:00Z');
const t = (day: string) => `${day}T09:00:00.000Z`;
const stage = (id: string, semantics: 'open' | 'won' | 'lost', sort: number): ModelInput<'stages'> => ({
  externalId: id, entity: 'deal', pipelineId: '0', sourceStageId: id, name: id, semantics, sort,
});
const lead = (id: string, created: string, o: Partial<ModelInput<'leads'>> = {}): ModelInput<'leads'> => ({
  externalId: id, title: id, stageId: 'L', responsibleId: '5', createdAt: t(created), updatedAt: t(created), ...o,
});
const contact = (id: string, created: string): ModelInput<'contacts'> => ({ externalId: id, name: id, phones: [], emails: [], createdAt: t(created), updatedAt: t(created) });
const move = (id: string, dealId: string, to: string, day: string): ModelInput<'stage_changes'> => ({ externalId: id, entity: 'deal', ownerId: dealId, toStageId: to, at: t(day) });
const noSource = { utmSource: undefined };

const model: Partial<{ [E in EntityName]: ModelInput<E>[] }> = {
  stages: [stage('NEW', 'open', 1), stage('WORK', 'open', 2), stage('WON', 'won', 3), stage('LOSE', 'lost', 4)],
  ad_campaigns: [
    { externalId: 'y1', platform: 'yandex_direct', name: 'Весна', utmCampaign: 'spring' },
    { externalId: 'v1', platform: 'vk_ads', name: 'Лето', utmCampaign: 'summer' },
    { externalId: 'g1', platform: 'google_ads', name: 'Промо' },
  ],
  ad_spend: [
    { externalId: 'y1-1', platform: 'yandex_direct', campaignId: 'y1', day: '2026-03-01', cost: '3000.00', currency: 'RUB', clicks: 30, impressions: 1000 },
    { externalId: 'y1-2', platform: 'yandex_direct', campaignId: 'y1', day: '2026-03-02', cost: '2000.50', currency: 'RUB', clicks: 20, impressions: 800 },
    { externalId: 'v1-1', platform: 'vk_ads', campaignId: 'v1', day: '2026-03-01', cost: '1000.00', currency: 'RUB', clicks: 10, impressions: 500 },
    { externalId: 'g1-1', platform: 'google_ads', campaignId: 'g1', day: '2026-03-03', cost: '500.00', currency: 'RUB', clicks: 5, impressions: 100 },
  ],
  contacts: [contact('C1', '2026-02-01'), contact('C2', '2026-03-05'), contact('C3', '2026-03-10')],
  leads: [
    lead('L1', '2026-02-01', { contactId: 'C1', utmSource: 'yandex', utmCampaign: 'spring' }),
    lead('L2', '2026-02-10', { contactId: 'C1', utmSource: 'vk', utmCampaign: 'summer' }),
    lead('L3', '2026-03-10', { contactId: 'C3', visitorIds: { yclid: '123' } }),
    lead('L4', '2026-03-11', { utmSource: 'Facebook' }),
  ],
  deals: [
    // C1 touched Yandex (L1), then VK (L2), then came without a mark (D1), which won 90,000.
    deal('D1', { ...noSource, contactId: 'C1', responsibleId: '5', stageId: 'WON', amount: '90000', createdAt: t('2026-02-15'), closedAt: t('2026-03-01'), updatedAt: t('2026-03-01') }),
    // C2: one touch, "ya" and " SPRING " are Yandex Direct's spring campaign.
    deal('D2', { contactId: 'C2', responsibleId: '6', stageId: 'WON', amount: '10000.50', utmSource: 'ya', utmCampaign: ' SPRING ', createdAt: t('2026-03-05'), closedAt: t('2026-03-20'), updatedAt: t('2026-03-20') }),
    deal('D3', { ...noSource, contactId: 'C3', responsibleId: '5', stageId: 'LOSE', amount: '5000', createdAt: t('2026-03-12'), closedAt: t('2026-03-15'), updatedAt: t('2026-03-15') }),
    deal('D4', { ...noSource, responsibleId: '7', stageId: 'WORK', amount: '7000', createdAt: t('2026-03-25'), updatedAt: t('2026-03-25') }),
  ],
  stage_changes: [
    move('m1', 'D1', 'NEW', '2026-02-15'), move('m2', 'D1', 'WON', '2026-03-01'),
    move('m3', 'D2', 'NEW', '2026-03-05'), move('m4', 'D2', 'WORK', '2026-03-10'), move('m5', 'D2', 'WON', '2026-03-20'),
    move('m6', 'D3', 'NEW', '2026-03-12'), move('m7', 'D3', 'WORK', '2026-03-13'), move('m8', 'D3', 'LOSE', '2026-03-15'),
    move('m9', 'D4', 'NEW', '2026-03-25'), move('m10', 'D4', 'WORK', '2026-03-26'),
  ],
};
const config = { holdout: { enabled: true, since: '2026-01-01', share: 0.5, salt: 'test', windowDays: 30 } };

describe.each(drivers)('ad-analytics on a known month ($name)', ({ open }) => {
  it('counts a record once when campaigns of two platforms share its UTM campaign value', async () => {
    const opened = await open();
    try {
      const store = opened.store;
      await store.accounts.save({ id: 'acc', kind: 'bitrix24', name: 'acc' });
      const shared = { ...model, ad_campaigns: [...model.ad_campaigns!, { externalId: 'v2', platform: 'vk_ads' as const, name: 'Весна VK', utmCampaign: 'spring' }] };
      for (const [entity, records] of Object.entries(shared)) await store.forAccount('acc').upsert(entity as EntityName, records as never[]);
      // Before the fix each spring-marked record was joined to both campaigns: counted twice, and its
      // write-back keys planned twice (the run was refused).
      const r = await runPlugin({ store, units: { adapters: [], plugins: [adAnalytics] }, log: createLogger('silent') }, 'ad-analytics', 'acc', { now, config });
      const spring = (r.results as AdResult[]).find((x) => x.kind === 'channel' && x.channel === 'yandex_direct' && x.campaign === 'spring');
      expect(spring).toMatchObject({ leads: 1, deals: 1, won: 1, revenue: '10000.50' });
      expect(new Set(r.writes.map((w) => w.key)).size).toBe(r.writes.length);
    } finally {
      await opened.dispose();
    }
  });

  it('joins, attributes under every model, and computes the funnel, cohorts, audit, write-back and uplift', async () => {
    const opened = await open();
    try {
      const store = opened.store;
      await store.accounts.save({ id: 'acc', kind: 'bitrix24', name: 'acc' });
      for (const [entity, records] of Object.entries(model)) await store.forAccount('acc').upsert(entity as EntityName, records as never[]);
      const r = await runPlugin({ store, units: { adapters: [], plugins: [adAnalytics] }, log: createLogger('silent') }, 'ad-analytics', 'acc', { now, config });
      const rows = r.results as AdResult[];
      const ch = (channel: string, campaign: string) => rows.find((x) => x.kind === 'channel' && x.channel === channel && x.campaign === campaign) as Extract<AdResult, { kind: 'channel' }>;
      expect(rows.filter((x) => x.kind === 'channel').map((x) => `${(x as { channel: string }).channel}/${(x as { campaign: string }).campaign}`)).toEqual([
        'facebook/', 'google_ads/промо', 'unknown/', 'vk_ads/summer', 'yandex_direct/', 'yandex_direct/spring',
      ]);
      // Last non-direct (the default): D1's unmarked last touch is passed over for VK; D2 is Yandex's alone.
      expect(ch('yandex_direct', 'spring')).toMatchObject({
        leads: 1, deals: 1, won: 1, revenue: '10000.50', spend: '5000.50', clicks: 50, impressions: 1800,
        cpl: 5000.5, cpo: 5000.5, cac: 5000.5, averageCheck: 10000.5, cycleDays: 15,
        romi: 0.9999, // (10000.50 − 5000.50) / 5000.50 = 0.99990
        roas: 1.9999, // 10000.50 / 5000.50 = 1.99990
        drr: 0.5, // 5000.50 / 10000.50 = 0.50002
      });
      expect(ch('vk_ads', 'summer')).toMatchObject({ leads: 1, deals: 0, won: 1, revenue: '90000.00', spend: '1000.00', cpl: 1000, cpo: null, romi: 89, roas: 90, drr: 0.0111 });
      expect(ch('google_ads', 'промо')).toMatchObject({ leads: 0, won: 0, revenue: '0.00', spend: '500.00', cpl: null, romi: -1 });
      expect(ch('yandex_direct', '')).toMatchObject({ leads: 1, deals: 0 }); // L3, known by its yclid
      expect(ch('facebook', '')).toMatchObject({ leads: 1 });
      // D1's path: L1 (Yandex, 28 days before the win), L2 (VK, 19 days), D1 (unknown, 14 days).
      const d1 = (m: string) => ch('yandex_direct', 'spring').models[m as 'linear'];
      expect(d1('first_touch').revenue).toBe('100000.50');
      expect(ch('vk_ads', 'summer').models.last_touch.revenue).toBe('0.00');
      expect(ch('unknown', '').models.last_touch.revenue).toBe('90000.00');
      expect(ch('vk_ads', 'summer').models.linear.revenue).toBe('30000.00');
      expect(ch('yandex_direct', 'spring').models.position_based.revenue).toBe('46000.50'); // 0.4 × 90,000 + 10,000.50
      expect(ch('vk_ads', 'summer').models.position_based.revenue).toBe('18000.00'); // 0.2 × 90,000
      const decay = [28, 19, 14].map((days) => 0.5 ** (days / 7));
      const share = (i: number) => decay[i]! / decay.reduce((a, b) => a + b, 0);
      expect(Number(ch('vk_ads', 'summer').models.time_decay.revenue)).toBeCloseTo(90000 * share(1), 2);
      expect(Number(ch('yandex_direct', 'spring').models.time_decay.revenue)).toBeCloseTo(90000 * share(0) + 10000.5, 2);
      // Every model hands out the same revenue in all.
      expect(new Set((r.summary.comparison as { revenue: string }[]).map((x) => x.revenue))).toEqual(new Set(['100000.50']));
      expect(r.summary.totals).toMatchObject({ spend: '6500.50', revenue: '100000.50', leads: 4, deals: 4, won: 2 });

      const funnel = (channel: string) => (rows.find((x) => x.kind === 'funnel' && x.channel === channel) as Extract<AdResult, { kind: 'funnel' }>).stages;
      expect(funnel('unknown')).toEqual([
        { stage: 'NEW', name: 'NEW', reached: 3, conversion: null },
        // D1 went from NEW straight to WON: it passed WORK too.
        { stage: 'WORK', name: 'WORK', reached: 3, conversion: 1 },
        { stage: 'WON', name: 'WON', reached: 1, conversion: 0.3333 },
      ]);
      expect(rows.filter((x) => x.kind === 'cohort')).toEqual([
        { kind: 'cohort', cohort: '2026-02', contacts: 1, months: [{ month: 1, won: 1, revenue: '90000.00' }] },
        { kind: 'cohort', cohort: '2026-03', contacts: 2, months: [{ month: 0, won: 1, revenue: '10000.50' }] },
      ]);
      expect(r.summary.unknown).toEqual([
        { manager: '5', leads: 0, deals: 2, examples: ['deal:D3', 'deal:D1'] },
        { manager: '7', leads: 0, deals: 1, examples: ['deal:D4'] },
      ]);
      const fields = r.writes.filter((w) => w.payload.entity === 'deal').map((w) => `${w.payload.id} ${w.payload.field}=${w.payload.value}`);
      expect(fields).toEqual(['D2 CHAN=yandex_direct', 'D2 CAMP=spring', 'D2 COST=5000.50']);
      // Holdout: C1 is the only contact whose 30-day window has ended; C2 and C3 get their labels.
      const g = (id: string) => assignHoldout(id, { salt: 'test', share: 0.5 });
      const uplift = r.summary.uplift as { groups: { control: { n: number; conversions: number; revenue: string }; treatment: { n: number } } };
      const c1 = g('C1') === 'holdout' ? uplift.groups.control : uplift.groups.treatment;
      expect(c1).toEqual({ n: 1, conversions: 1, revenue: '90000.00' });
      expect(uplift.groups.control.n + uplift.groups.treatment.n).toBe(1);
      expect(r.writes.filter((w) => w.payload.entity === 'contact').map((w) => `${w.payload.id}=${w.payload.value}`)).toEqual([`C2=${g('C2')}`, `C3=${g('C3')}`]);
    } finally {
      await opened.dispose();
    }
  });
});

testPlugin({ plugin: adAnalytics, model, now, config, invalidConfigs: [{ model: 'u_shaped' }, { holdout: { share: 1 } }, { aliases: { 'Yandex Direct': ['y'] } }] });
