import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCml } from '../../src/onec/apply.js';
import type { FileSummary } from '../../adapters/onec/records.js';
import type { EntityName } from '../../src/model/index.js';
import { Store, type AccountStore } from '../../src/store/index.js';

const fixtures = new URL('../fixtures/onec/', import.meta.url);
const corpus = new URL('../../../shared/corpus/onec/', import.meta.url);
const fixture = (name: string) => createReadStream(new URL(name, fixtures)) as AsyncIterable<Buffer>;

let store: Store;
let n = 0;
async function account(): Promise<AccountStore> {
  const id = `onec-${++n}`;
  await store.accounts.save({ id, kind: 'onec', name: id, settings: { login: 'onec' } });
  return store.forAccount(id);
}
const counts = async (acc: AccountStore) => {
  const out: Partial<Record<EntityName, number>> = {};
  for (const e of ['products', 'price_types', 'prices', 'warehouses', 'stock'] as const) out[e] = await acc.count(e);
  return out;
};

beforeAll(async () => {
  store = await Store.open({ memory: true });
});
afterAll(() => store?.close());

describe('1C files into the model (own fixtures)', () => {
  it('applies import, offers, prices and rests in order: exact numbers, variants, deletions, both stock forms, windows-1251', async () => {
    const acc = await account();
    const cp = await applyCml(acc, fixture('import_cp1251.xml'), 'import_cp1251.xml');
    expect(cp).toMatchObject({ kind: 'import', schemaVersion: '2.04', onlyChanges: true, products: 4, priceTypes: 2, deleted: 3 });
    const offers = await applyCml(acc, fixture('offers0_1.xml'), 'offers0_1.xml');
    expect(offers).toMatchObject({ kind: 'offers', offers: 4, prices: 3, stockRows: 3 });
    // "1 234,50" with a NBSP and a decimal comma is 1234.50 exactly; the total Количество 12,5 gives way to the warehouse rows.
    expect((await acc.get('prices', '11111111-0000-4000-8000-000000000001:7c000000-0000-4000-8000-000000000001'))?.record.amount).toBe('1234.50');
    const stock = await acc.list('stock');
    expect(stock.filter((s) => s.productId === '11111111-0000-4000-8000-000000000001').map((s) => [s.warehouseId, s.quantity])).toEqual([
      ['5c000000-0000-4000-8000-000000000001', '10'],
      ['5c000000-0000-4000-8000-000000000002', '2.5'],
    ]);
    // A variant is a product of its own ("product#variant"), with negative stock kept as 1C sent it.
    const variant = '11111111-0000-4000-8000-000000000005#22222222-0000-4000-8000-000000000001';
    expect((await acc.get('products', variant))?.record).toMatchObject({ onecId: variant, name: 'Кружка (синяя)' });
    expect((await acc.get('stock', `${variant}:total`))?.record.quantity).toBe('-3');
    expect((await acc.get('products', '11111111-0000-4000-8000-000000000005#22222222-0000-4000-8000-000000000002'))).toBeUndefined();

  });

  it('applies the split files of schema 3.1: prices against the price types of the classifier, a full rests file replacing the stock', async () => {
    const acc = await account();
    expect(await applyCml(acc, fixture('import___3a1b2c3d.xml'), 'import___3a1b2c3d.xml')).toMatchObject({ kind: 'import', schemaVersion: '3.1', priceTypes: 2 });
    expect(await applyCml(acc, fixture('prices___4b5c6d7e.xml'), 'prices___4b5c6d7e.xml')).toMatchObject({ kind: 'prices', prices: 3 });
    const [price] = await acc.list('prices', { limit: 1 });
    // Every price keeps the history of its changes; applying the same file again adds nothing to it.
    expect(await acc.priceHistory(price!.externalId)).toEqual([expect.objectContaining({ oldAmount: null, newAmount: price!.amount })]);
    await applyCml(acc, fixture('prices___4b5c6d7e.xml'), 'prices___4b5c6d7e.xml');
    expect(await acc.priceHistory(price!.externalId)).toHaveLength(1);
    await acc.upsert('prices', [{ ...price!, amount: '1.23' }]);
    expect((await acc.priceHistory(price!.externalId)).at(-1)).toMatchObject({ oldAmount: price!.amount, newAmount: '1.23' });
    await acc.upsert('stock', [{ externalId: 'old:total', productId: 'old', warehouseId: 'total', quantity: '5' }]);
    const rests = await applyCml(acc, fixture('rests___5c6d7e8f.xml'), 'rests___5c6d7e8f.xml');
    expect(rests).toMatchObject({ kind: 'rests', onlyChanges: false, stockRows: 3 });
    expect(await acc.count('stock')).toBe(3);
    expect((await acc.get('stock', 'old:total'))?.deleted).toBe(true);
  });

  for (const [file, reason] of [
    ['broken-two-declarations.xml', /XML|объявлени/i],
    ['broken-truncated.xml', /оборван|truncated|обрыв|неполн|end/i],
    ['broken-unknown-price-type.xml', /неизвестный тип цены/],
    ['broken-quantity.xml', /не число \/ not a number/],
  ] as const) {
    it(`refuses ${file} with a reason for 1C's user, and stores nothing of it`, async () => {
      const acc = await account();
      await applyCml(acc, fixture('offers0_1.xml'), 'offers0_1.xml');
      const before = await counts(acc);
      const e = await applyCml(acc, fixture(file), file).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(reason);
      expect((e as Error).message).toMatch(/строка \d+ \/ line \d+/);
      expect(await counts(acc)).toEqual(before);
    });
  }

  it('refuses an orders file: it is not a catalog', async () => {
    const acc = await account();
    await expect(applyCml(acc, fixture('orders.xml'), 'orders.xml')).rejects.toMatchObject({ code: 'cml_not_catalog' });
  });
});

/** The file name 1C would have used: the corpus names carry the source before and the schema after. */
const original = (f: string) => `${/(import|offers|prices|rests)[^]*?(?=_cml)/.exec(f)?.[0] ?? f}.xml`;
const order = (f: string) => ['import', 'offers', 'prices', 'rests'].findIndex((k) => original(f).startsWith(k));

describe.runIf(existsSync(corpus))('1C files into the model (real exports in ../shared/corpus/onec)', () => {
  const files = existsSync(corpus) ? readdirSync(corpus).filter((f) => f.endsWith('.xml')) : [];
  const catalog = files.filter((f) => !/orders|query-response/.test(f));
  const groups = new Map<string, string[]>();
  for (const f of catalog) {
    const source = f.slice(0, f.search(/_(import|offers|prices|rests)/));
    groups.set(source, [...(groups.get(source) ?? []), f].sort((a, b) => order(a) - order(b)));
  }

  for (const [source, list] of groups) {
    it(`${source}: ${list.length} file(s) apply, and the store holds what each file reported`, async () => {
      const acc = await account();
      const summaries: FileSummary[] = [];
      for (const f of list) summaries.push(await applyCml(acc, createReadStream(new URL(f, corpus)) as AsyncIterable<Buffer>, original(f)));
      const last = (kind: FileSummary['kind']) => summaries.filter((s) => s.kind === kind).at(-1);
      const text = list.map((f) => readFileSync(new URL(f, corpus), 'utf8')).join('\n');
      // Independent of the parser: a live price per <ЦенаЗаЕдиницу> of offers not marked deleted is too fiddly to
      // count by regexp, so the price count is bounded by the tags and equals what the files reported.
      const priceTags = (text.match(/<(\w+:)?ЦенаЗаЕдиницу>/g) ?? []).length;
      const priced = summaries.reduce((a, s) => a + s.prices, 0);
      expect(priced).toBeLessThanOrEqual(priceTags);
      if (priced) expect(await acc.count('prices')).toBeGreaterThan(0);
      const imported = last('import');
      if (imported && imported.products) expect(await acc.count('products')).toBeGreaterThanOrEqual(Math.min(1, imported.products - imported.deleted));
      const stockRows = summaries.reduce((a, s) => a + s.stockRows, 0);
      expect(await acc.count('stock')).toBeLessThanOrEqual(stockRows);
      if (stockRows) expect(await acc.count('stock')).toBeGreaterThan(0);
    }, 60_000);
  }

  it('keeps fractional and negative stock and NBSP-formatted prices exact (d16izhevsk, gillbeits)', async () => {
    const acc = await account();
    for (const f of ['d16izhevsk_import0_1_cml2.07_large.xml', 'd16izhevsk_offers0_1_cml2.07_large.xml']) {
      await applyCml(acc, createReadStream(new URL(f, corpus)) as AsyncIterable<Buffer>, original(f));
    }
    const quantities = (await acc.list('stock', { limit: 100_000 })).map((s) => s.quantity);
    expect(quantities).toContain('30.5');
    expect(quantities.every((q) => /^-?\d+(\.\d+)?$/.test(q))).toBe(true);
    const g = await account();
    for (const f of ['gillbeits_import___b815e2db_cml2.09.xml', 'gillbeits_offers___7f304edc_cml2.09.xml', 'gillbeits_prices___d66a6b51_cml2.09.xml', 'gillbeits_rests___1af6e7b8_cml2.09.xml']) {
      await applyCml(g, createReadStream(new URL(f, corpus)) as AsyncIterable<Buffer>, original(f));
    }
    expect(await g.count('prices')).toBe(978);
    expect(await g.count('stock')).toBe(978);
    expect((await g.list('stock', { limit: 2000 })).some((s) => s.quantity === '-1')).toBe(true);
  }, 60_000);
});
