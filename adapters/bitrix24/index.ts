import { defineAdapter } from '../../src/sdk/index.js';
import { Portal } from './client.js';
import { bitrix24Settings } from './config.js';
import { mapDepartment, mapPipeline, mapStage, mapUser } from './map-org.js';
import { mapActivity, mapCompany, mapContact, mapDeal, mapDealItem, mapLead, mapStageChange } from './map-crm.js';
import { mapPrice, mapProduct, mapStock, mapWarehouse } from './map-catalog.js';
import { ids, pull } from './pull.js';
import { fetchByIds } from './fetch.js';
import { writeBatch } from './write.js';

/**
 * Bitrix24 through the official SDK (@bitrix24/b24jssdk, actions.v2): a portal connected by an inbound
 * webhook or installed from the Marketplace (OAuth). Entities are listed in the order a sync runs them:
 * what others refer to first.
 */
export const bitrix24Adapter = defineAdapter({
  id: 'bitrix24',
  config: bitrix24Settings,
  // Two short of the portal's bucket: our requests leave in order but may arrive a little bunched.
  rateLimit: (s) => ({ perSecond: s.perSecond, burst: Math.max(1, s.burst - 2) }),
  entities: {
    departments: { map: mapDepartment },
    users: { map: mapUser },
    pipelines: { map: mapPipeline },
    stages: { map: mapStage },
    companies: { map: mapCompany },
    contacts: { map: mapContact },
    leads: { map: mapLead },
    deals: { map: mapDeal },
    stage_changes: { map: mapStageChange },
    activities: { map: mapActivity },
    products: { map: mapProduct },
    prices: { map: mapPrice },
    warehouses: { map: mapWarehouse },
    stock: { map: mapStock },
    deal_items: { map: mapDealItem },
  },
  async check(ctx) {
    const portal = await Portal.open(ctx);
    await portal.call('profile');
  },
  pull,
  fetch: fetchByIds,
  ids,
  writeBatch,
});
