import { describe, expect, it } from 'vitest';
import { entities } from '../../src/model/index.js';
import { mapDepartment, mapPipeline, mapStage, mapUser } from '../../adapters/bitrix24/map-org.js';
import { mapActivity, mapDeal, mapDealItem, mapLead, mapStageChange } from '../../adapters/bitrix24/map-crm.js';
import { mapPrice, mapProduct, mapStock, mapWarehouse } from '../../adapters/bitrix24/map-catalog.js';
import { docs } from '../helpers/b24-docs.js';

type R = { result: Record<string, unknown> & unknown[] };
const valid = (entity: keyof typeof entities, record: unknown) => {
  const r = entities[entity].schema.safeParse({ ...(record as object), accountId: 'acc' });
  expect(r.error?.issues ?? []).toEqual([]);
  return r.data as Record<string, unknown>;
};

describe('bitrix24 mapping of documented responses', () => {
  it('maps a deal exactly: amount as a decimal string, UTC instants, pipeline and stage ids, UTM marks', () => {
    const item = docs<{ result: { item: unknown } }>('crm.item.add.deal.json').result.item;
    const d = mapDeal(item);
    expect(d).toMatchObject({
      externalId: '342',
      pipelineId: 'deal:9',
      stageId: 'deal:C9:UC_KN8KFI',
      amount: '999.99',
      currency: 'RUB',
      responsibleId: '6',
      contactId: '4',
      companyId: '5',
      leadId: '102',
      sourceId: 'WEB',
      utmSource: 'google',
      utmMedium: 'CPC',
      closedAt: undefined,
    });
    const rec = valid('deals', d);
    expect(rec.createdAt).toBe('2024-07-18T12:00:14.000Z');
    expect(rec.closeDate).toBe('2024-07-30T00:00:00.000Z');
  });

  it('maps a lead with its status as a lead stage', () => {
    const l = mapLead(docs<{ result: { item: unknown } }>('crm.item.get.lead.json').result.item);
    expect(l).toMatchObject({ externalId: '250', stageId: 'lead:IN_PROCESS', pipelineId: 'lead:0', amount: '999.9', sourceId: 'TRADE_SHOW', responsibleId: '1' });
    expect(l.contactId).toBeUndefined();
    valid('leads', l);
  });

  it('reads stage semantics from SEMANTICS and EXTRA: success is won, failure and apology are lost', () => {
    const stages = docs<R>('crm.status.list.json').result.map(mapStage);
    const by = Object.fromEntries(stages.map((s) => [s!.sourceStageId, s!.semantics]));
    expect(by).toEqual({ NEW: 'open', PREPARATION: 'open', PREPAYMENT_INVOICE: 'open', EXECUTING: 'open', FINAL_INVOICE: 'open', WON: 'won', LOSE: 'lost', APOLOGY: 'lost' });
    expect(stages[0]).toMatchObject({ externalId: 'deal:NEW', pipelineId: 'deal:0', sort: 10, entity: 'deal' });
    for (const s of stages) valid('stages', s);
    expect(mapStage({ ENTITY_ID: 'SOURCE', STATUS_ID: 'WEB', NAME: 'Сайт', SORT: '10' })).toBeNull();
    expect(mapStage({ ENTITY_ID: 'DEAL_STAGE_9', STATUS_ID: 'C9:NEW', NAME: 'Новая', SORT: '10', CATEGORY_ID: '9' })).toMatchObject({ pipelineId: 'deal:9' });
  });

  it('maps an outgoing completed call and its owner', () => {
    const a = mapActivity(docs<R>('crm.activity.list.json').result[0]);
    expect(a).toMatchObject({ externalId: '20', kind: 'call', direction: 'outgoing', ownerType: 'contact', ownerId: '15', responsibleId: '505', completed: true });
    expect(valid('activities', a).deadline).toBe('2020-09-27T10:25:00.000Z');
  });

  it('maps users (ACTIVE as a boolean), departments and pipelines', () => {
    const users = docs<R>('user.get.json').result.map(mapUser);
    expect(users[0]).toMatchObject({ externalId: '1', name: 'Вадим Валеев', active: true, departmentIds: ['1'] });
    expect(mapUser({ ID: '7', ACTIVE: false, NAME: 'Пётр', UF_DEPARTMENT: [3], USER_TYPE: 'employee', svodkaManagerId: '1' })).toMatchObject({ active: false, managerId: '1' });
    expect(mapUser({ ID: '8', ACTIVE: true, NAME: 'Бот', USER_TYPE: 'bot' })).toBeNull();
    for (const u of users) valid('users', u);
    const deps = docs<R>('department.get.json').result.map(mapDepartment);
    expect(deps[0]).toMatchObject({ externalId: '15', name: 'R&D', parentId: '1', sort: 500 });
    const pipes = (docs<{ result: { categories: unknown[] } }>('crm.category.list.json').result.categories).map(mapPipeline);
    expect(pipes.at(-1)).toMatchObject({ externalId: 'deal:0', name: 'Общая', isDefault: true });
    for (const p of pipes) valid('pipelines', p);
  });

  it('maps stage history, product rows and the catalog', () => {
    const h = docs<{ result: { items: Record<string, unknown>[] } }>('crm.stagehistory.list.json').result.items[0]!;
    expect(mapStageChange({ ...h, entityTypeId: 2 })).toMatchObject({ externalId: 'deal:35', ownerId: '21', toStageId: 'deal:NEW', pipelineId: 'deal:0' });
    const rows = docs<{ result: { productRows: Record<string, unknown>[] } }>('crm.item.productrow.list.json').result.productRows;
    expect(mapDealItem({ ...rows[0], currencyId: 'RUB' })).toMatchObject({ dealId: '13142', productId: '9621', price: '90000', quantity: '3', discount: '10', taxRate: '10' });
    for (const r of rows) valid('deal_items', mapDealItem({ ...r, currencyId: 'RUB' }));
    const prices = docs<{ result: { prices: unknown[] } }>('catalog.price.list.json').result.prices.map(mapPrice);
    expect(prices[1]).toMatchObject({ productId: '6461', priceType: '1', amount: '100.5', currency: 'USD' });
    const product = mapProduct(docs<{ result: { products: unknown[] } }>('catalog.product.list.json').result.products[0]);
    expect(product).toMatchObject({ externalId: '1243', name: 'Товар', active: true, onecId: undefined });
    expect(mapWarehouse(docs<{ result: { stores: unknown[] } }>('catalog.store.list.json').result.stores[0])).toMatchObject({ name: 'Склад 1', code: 'store_1' });
    expect(mapStock(docs<{ result: { storeProducts: unknown[] } }>('catalog.storeproduct.list.json').result.storeProducts[0])).toMatchObject({ productId: '6973', warehouseId: '1', quantity: '54' });
  });

  it('keeps amounts exact whatever form they come in, and refuses what is not an amount', () => {
    const base = docs<{ result: { item: Record<string, unknown> } }>('crm.item.add.deal.json').result.item;
    expect(mapDeal({ ...base, opportunity: '1234567.891234' }).amount).toBe('1234567.891234');
    expect(mapDeal({ ...base, opportunity: 12.3456789 }).amount).toBe('12.3456789');
    expect(mapDeal({ ...base, opportunity: null }).amount).toBe('0');
    expect(() => mapDeal({ ...base, opportunity: '1 000,50' })).toThrow(/not an amount/);
    expect(() => mapDeal({ ...base, id: undefined })).toThrow();
    expect(() => mapDeal({ ...base, createdTime: '' })).toThrow();
    // A date with an offset becomes a UTC instant in the model; one without an offset is refused there.
    expect(valid('deals', mapDeal({ ...base, updatedTime: '2026-03-01T10:00:00+03:00' })).updatedAt).toBe('2026-03-01T07:00:00.000Z');
    expect(entities.deals.schema.safeParse({ ...mapDeal({ ...base, updatedTime: '2026-03-01 10:00:00' }), accountId: 'a' }).success).toBe(false);
  });
});
