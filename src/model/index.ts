import type { z } from 'zod';
import * as ads from './ads.js';
import * as catalog from './catalog.js';
import * as crm from './crm.js';

export * from './primitives.js';
export { defineEntity, recordBase, type EntityDef } from './entity.js';
export { plainCheck, type PlainCheck } from './plain.js';
export { stageSemantics, activityKind, activityDirection, ownerType, funnelEntity } from './crm.js';
export { adPlatform } from './ads.js';

/** Every entity of the common model, in dependency order. The store derives its tables from this list. */
export const entities = {
  users: crm.users,
  departments: crm.departments,
  pipelines: crm.pipelines,
  stages: crm.stages,
  leads: crm.leads,
  deals: crm.deals,
  contacts: crm.contacts,
  companies: crm.companies,
  activities: crm.activities,
  stage_changes: crm.stageChanges,
  products: catalog.products,
  price_types: catalog.priceTypes,
  prices: catalog.prices,
  warehouses: catalog.warehouses,
  stock: catalog.stock,
  deal_items: catalog.dealItems,
  ad_campaigns: ads.adCampaigns,
  ad_spend: ads.adSpend,
} as const;

export type Entities = typeof entities;
export type EntityName = keyof Entities;
export const entityNames = Object.keys(entities) as EntityName[];

/** A stored record of one entity, as the model parses it. */
export type ModelRecord<E extends EntityName> = z.output<Entities[E]['schema']>;
/** What an adapter's map returns: the record before parsing (instants may carry offsets); the core adds the account. */
export type ModelInput<E extends EntityName> = Omit<z.input<Entities[E]['schema']>, 'accountId'> & { accountId?: string };

export type User = ModelRecord<'users'>;
export type Department = ModelRecord<'departments'>;
export type Pipeline = ModelRecord<'pipelines'>;
export type Stage = ModelRecord<'stages'>;
export type Lead = ModelRecord<'leads'>;
export type Deal = ModelRecord<'deals'>;
export type Contact = ModelRecord<'contacts'>;
export type Company = ModelRecord<'companies'>;
export type Activity = ModelRecord<'activities'>;
export type StageChange = ModelRecord<'stage_changes'>;
export type Product = ModelRecord<'products'>;
export type Price = ModelRecord<'prices'>;
export type Warehouse = ModelRecord<'warehouses'>;
export type Stock = ModelRecord<'stock'>;
export type DealItem = ModelRecord<'deal_items'>;
export type AdCampaign = ModelRecord<'ad_campaigns'>;
export type AdSpend = ModelRecord<'ad_spend'>;
