import { Rng } from '../rng.js';
import { Table } from '../table.js';
import { dayStart } from '../time.js';
import { buildActivities } from './activities.js';
import { buildCatalog, CATALOG_IBLOCK_ID } from './catalog.js';
import { buildCrm } from './crm.js';
import { buildPeople } from './people.js';
import { buildStages } from './stages.js';
import type { SandboxData, UserField } from './types.js';

export interface DataOptions {
  seed: number;
  managers: number;
  dismissed: number;
  departments: number;
  deals: number;
  leads: number;
  contacts: number;
  companies: number;
  activities: number;
  products: number;
  warehouses: number;
  pipelines: number;
  /** Generated history ends here (default: start of today, Moscow time). */
  anchor?: number;
}

/** The whole portal from one seed. Each part uses its own PRNG stream, so changing one count keeps the rest stable. */
export function generateData(o: DataOptions): SandboxData {
  const anchor = o.anchor ?? dayStart(Date.now());
  const stream = (k: number) => new Rng((o.seed * 7919 + k * 104_729) >>> 0);
  const { users, departments } = buildPeople(stream(1), anchor, o.managers, o.dismissed, o.departments);
  const { categories, statuses, semantics } = buildStages(o.pipelines);
  const catalog = buildCatalog(stream(2), anchor, o.products, o.warehouses);
  const crm = buildCrm(stream(3), anchor, users, statuses, categories.rows.map((c) => c.id), o, catalog.products);
  const activities = buildActivities(stream(4), anchor, o.activities, crm);
  return {
    users,
    departments,
    categories,
    statuses,
    leads: crm.leads,
    deals: crm.deals,
    contacts: crm.contacts,
    companies: crm.companies,
    stageHistory: crm.history,
    activities,
    productRows: crm.productRows,
    ...catalog,
    userFields: new Table<UserField>(),
    semantics,
    catalogIblockId: CATALOG_IBLOCK_ID,
    nextMultifieldId: crm.nextFm,
  };
}
