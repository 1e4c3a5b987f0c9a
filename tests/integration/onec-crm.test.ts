import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookAccount } from '../../adapters/bitrix24/connect.js';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { applyCml } from '../../src/onec/apply.js';
import { pushToCrm } from '../../src/onec/crm-push.js';
import { compareDecimal, guardDeals, guardSource } from '../../src/onec/guard.js';
import { connectAccount } from '../../src/runtime/connect-account.js';
import { runSync, type JobDeps } from '../../src/runtime/jobs.js';
import { dispatchOutbox } from '../../src/runtime/outbox.js';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../src/sandbox/bitrix24/index.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';

const g = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const doc = (body: string) => Readable.from([Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация ВерсияСхемы="2.08" ДатаФормирования="2026-11-23T10:00:00">${body}</КоммерческаяИнформация>`)]);
const importXml = () =>
  doc(`<Классификатор><Ид>${g(900)}</Ид><Наименование>К</Наименование>
  <ТипыЦен><ТипЦены><Ид>${g(801)}</Ид><Наименование>Розничная</Наименование><Валюта>RUB</Валюта></ТипЦены>
  <ТипЦены><Ид>${g(802)}</Ид><Наименование>Оптовая</Наименование><Валюта>RUB</Валюта></ТипЦены></ТипыЦен>
  <Склады><Склад><Ид>${g(701)}</Ид><Наименование>Основной склад</Наименование></Склад><Склад><Ид>${g(702)}</Ид><Наименование>Склад в Туле</Наименование></Склад></Склады></Классификатор>
  <Каталог СодержитТолькоИзменения="false"><Ид>${g(901)}</Ид><ИдКлассификатора>${g(900)}</ИдКлассификатора><Наименование>К</Наименование><Товары>
  <Товар><Ид>${g(1)}</Ид><Артикул>product_1</Артикул><Наименование>Один</Наименование></Товар>
  <Товар><Ид>${g(2)}</Ид><Артикул>product_2</Артикул><Наименование>Два</Наименование></Товар>
  <Товар><Ид>${g(3)}</Ид><Артикул>НЕТ-В-CRM</Артикул><Наименование>Три</Наименование></Товар></Товары></Каталог>`);
const offer = (id: number, retail: string, stock: string) =>
  `<Предложение><Ид>${g(id)}</Ид><Наименование>x</Наименование><Цены>
  <Цена><ИдТипаЦены>${g(801)}</ИдТипаЦены><ЦенаЗаЕдиницу>${retail}</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена>
  <Цена><ИдТипаЦены>${g(802)}</ИдТипаЦены><ЦенаЗаЕдиницу>1.00</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена></Цены>
  <Склад ИдСклада="${g(701)}" КоличествоНаСкладе="${stock}"/><Склад ИдСклада="${g(702)}" КоличествоНаСкладе="1"/></Предложение>`;
const offersXml = (offers: string, changes = true) =>
  doc(`<ПакетПредложений СодержитТолькоИзменения="${changes}"><Ид>${g(902)}</Ид><ИдКаталога>${g(901)}</ИдКаталога><ИдКлассификатора>${g(900)}</ИдКлассификатора><Наименование>П</Наименование><Предложения>${offers}</Предложения></ПакетПредложений>`);

describe('1C prices and stock pushed to the Bitrix24 catalog (sandbox)', () => {
  let sandbox: Bitrix24Sandbox;
  let store: Store;
  let deps: JobDeps;
  let crm: string;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    sandbox = await startBitrix24Sandbox({ deals: 20, products: 5, warehouses: 2 });
    store = await Store.open({ memory: true });
    deps = { store, queue: new MemoryQueue(), log: createLogger('silent'), units: { adapters: [bitrix24Adapter as unknown as AdapterDef], plugins: [] }, limiter: createRateLimiter() };
    crm = (await connectAccount(deps, bitrix24Adapter as unknown as AdapterDef, webhookAccount(sandbox.webhookUrl), signal)).id;
    for (const entity of ['products', 'warehouses'] as const) await runSync(deps, { account: crm, entity }, signal);
    await store.accounts.save({ id: 'onec-1', kind: 'onec', name: '1C', settings: { login: 'onec', crmAccount: crm, crmPriceType: 'Розничная' } });
  });
  afterAll(async () => {
    await deps?.queue.close(100);
    await store?.close();
    await sandbox?.close();
  });

  const crmPrice = (productId: number) => sandbox.data.prices.rows.find((p) => (p as unknown as { productId: number }).productId === productId && (p as unknown as { catalogGroupId: number }).catalogGroupId === 1) as unknown as { price: number } | undefined;
  const crmStock = (productId: number) => sandbox.data.storeProducts.rows.find((r) => r.productId === productId && r.storeId === 1)?.amount;

  it('matches 1C products to CRM products by article, sends the configured price type and stock per named warehouse, reports what it cannot match', async () => {
    const acc = store.forAccount('onec-1');
    await applyCml(acc, importXml(), 'import0_1.xml');
    await applyCml(acc, offersXml(offer(1, '1500.00', '12') + offer(2, '250.50', '0') + offer(3, '99.00', '3')), 'offers0_1.xml');
    const report = await pushToCrm(deps, 'onec-1');
    expect(report).toMatchObject({ crmAccount: crm, prices: 2, stock: 2, unmatchedProducts: [g(3)], unmatchedWarehouses: ['Склад в Туле'] });
    expect(await dispatchOutbox(deps, crm, signal)).toEqual({ sent: 4, failed: 0, deferred: 0 });
    expect(crmPrice(1)?.price).toBe(1500);
    expect(crmPrice(2)?.price).toBe(250.5);
    expect(crmStock(1)).toBe(12);
    expect(crmStock(2) ?? 0).toBe(0);
  });

  it('sends only what changed since', async () => {
    expect(await pushToCrm(deps, 'onec-1')).toMatchObject({ prices: 0, stock: 0 });
    await applyCml(store.forAccount('onec-1'), offersXml(offer(1, '1600.00', '12') + offer(2, '250.50', '0')), 'offers0_1.xml');
    const again = await pushToCrm(deps, 'onec-1');
    expect(again).toMatchObject({ prices: 1, stock: 0 });
    await dispatchOutbox(deps, crm, signal);
    expect(crmPrice(1)?.price).toBe(1600);
  });

  it('says why it sends nothing when no price type is chosen among several', async () => {
    await store.accounts.save({ id: 'onec-2', kind: 'onec', name: '1C', settings: { login: 'onec', crmAccount: crm } });
    await applyCml(store.forAccount('onec-2'), importXml(), 'import0_1.xml');
    expect((await pushToCrm(deps, 'onec-2')).skipped).toMatch(/crmPriceType.*Розничная, Оптовая/);
  });

  it('flags open deals sold below the current 1C price or short of stock, tells the manager once, resolves what no longer holds', async () => {
    const c = store.forAccount(crm);
    await runSync(deps, { account: crm, entity: 'stages' }, signal);
    const open = (await c.list('stages')).find((st) => st.entity === 'deal' && st.semantics === 'open')!;
    const won = (await c.list('stages')).find((st) => st.entity === 'deal' && st.semantics === 'won')!;
    const deal = (id: string, stageId: string) => ({ externalId: id, title: `Сделка ${id}`, pipelineId: open.pipelineId, stageId, amount: '0', currency: 'RUB', responsibleId: '1', createdAt: '2026-11-01T10:00:00+03:00', updatedAt: '2026-11-01T10:00:00+03:00' });
    await c.upsert('deals', [deal('9001', open.externalId), deal('9002', won.externalId)]);
    const item = (id: string, dealId: string, productId: string, price: string, quantity: string) => ({ externalId: id, dealId, productId, name: `Товар ${productId}`, price, currency: 'RUB', quantity });
    await c.upsert('deal_items', [item('i1', '9001', '1', '1000.00', '20'), item('i2', '9001', '2', '250.50', '2'), item('i3', '9002', '1', '1.00', '99')]);

    const first = await guardDeals(deps, 'onec-1');
    expect(first).toEqual({ findings: 3, notified: 3 });
    const kinds = (await c.findings.open(guardSource)).map((f) => `${f.kind}:${f.details.product}`).sort();
    // Product 1 at 1000 is below 1C's 1600, and 20 are wanted where 1C has 12 + 1; product 2: 2 wanted, 0 + 1 there.
    // The won deal is not checked.
    expect(kinds).toEqual(['price_below:Товар 1', 'stock_short:Товар 1', 'stock_short:Товар 2']);
    await dispatchOutbox(deps, crm, signal);
    expect(sandbox.written.comments.filter((x) => String(x.ENTITY_ID) === '9001')).toHaveLength(3);

    expect(await guardDeals(deps, 'onec-1')).toEqual({ findings: 3, notified: 0 });
    await c.upsert('deal_items', [item('i1', '9001', '1', '1600.00', '2')]);
    expect(await guardDeals(deps, 'onec-1')).toEqual({ findings: 1, notified: 0 });
    expect((await c.findings.open(guardSource)).map((f) => f.kind)).toEqual(['stock_short']);
  });

  it('compares exact decimals', () => {
    expect(compareDecimal('1000.00', '1600')).toBe(-1);
    expect(compareDecimal('250.5', '250.50')).toBe(0);
    expect(compareDecimal('-1', '0.001')).toBe(-1);
    expect(compareDecimal('10000000000000000.01', '10000000000000000.001')).toBe(1);
  });
});
