import { demoAdapter, demoItem } from '../fixtures/demo-adapter.js';
import { demoPlugin } from '../fixtures/demo-plugin.js';
import { deal } from '../helpers/fixtures.js';
import { testAdapter } from './test-adapter.js';
import { testPlugin } from './test-plugin.js';

// The suites themselves are exercised on the test fixtures; each real adapter and plugin calls them too.
testAdapter({
  adapter: demoAdapter,
  config: { total: 7, pageSize: 3 },
  invalidConfigs: [{ total: -1 }, { pageSize: 0 }, { total: 'many' }],
  expected: {
    deals: [1, 2, 3, 4, 5, 6, 7].map((i) => {
      const raw = demoItem(i);
      return {
        externalId: raw.ID,
        title: raw.TITLE,
        pipelineId: '0',
        stageId: raw.STAGE_ID,
        amount: raw.OPPORTUNITY,
        currency: 'RUB',
        responsibleId: raw.ASSIGNED_BY_ID,
        createdAt: raw.DATE_CREATE,
        updatedAt: raw.DATE_MODIFY,
      };
    }),
  },
});

testPlugin({
  plugin: demoPlugin,
  model: {
    deals: [
      deal('1', { responsibleId: '5', amount: '0.10' }),
      deal('2', { responsibleId: '5', amount: '0.20' }),
      deal('3', { responsibleId: '6', amount: '100', stageId: 'WON' }),
      deal('4', { responsibleId: '6', amount: '99.99' }),
    ],
  },
  invalidConfigs: [{ minDeals: 0 }],
});
