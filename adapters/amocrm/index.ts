import { defineAdapter } from '../../src/sdk/index.js';
import { Amo, classifyAmo } from './client.js';
import { amocrmSettings } from './config.js';
import { mapActivity, mapCompany, mapContact, mapDeal, mapPipeline, mapStage, mapStatusEvent, mapUser } from './map.js';
import { pull } from './pull.js';
import { fetchByIds } from './fetch.js';
import { writeBatch } from './write.js';

/**
 * amoCRM (API v4) through a thin client over the core's HTTP client. Leads are the model's deals; tasks
 * its activities; lead_status_changed events its stage changes.
 */
export const amocrmAdapter = defineAdapter({
  id: 'amocrm',
  config: amocrmSettings,
  // amoCRM counts requests in any one second, not a bucket: evenly spaced, a little under the rate so
  // that requests arriving bunched still fit (a 429 run ends in a block of the whole account). At 93% the
  // benchmark still saw one 429 in 2,864 requests: 90% leaves ~110 ms of slack a second.
  rateLimit: (s) => ({ perSecond: Math.max(0.5, s.perSecond * 0.9), burst: 1 }),
  classify: classifyAmo,
  entities: {
    users: { map: mapUser },
    pipelines: { map: mapPipeline },
    stages: { map: mapStage },
    companies: { map: mapCompany },
    contacts: { map: mapContact },
    deals: { map: mapDeal },
    stage_changes: { map: mapStatusEvent },
    activities: { map: mapActivity },
  },
  async check(ctx) {
    await new Amo(ctx).request('GET', '/api/v4/account');
  },
  pull,
  fetch: fetchByIds,
  writeBatch,
});
