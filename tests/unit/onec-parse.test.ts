import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  CmlError,
  CmlNotCatalogError,
  detectKind,
  readCml,
  type CmlHeader,
  type CmlItem,
  type CmlOffer,
  type CmlPriceType,
  type CmlProduct,
  type CmlWarehouse,
} from '../../adapters/onec/parse/index.js';
import { GEN_OFFER_BYTES, generateOffers } from '../fixtures/onec/generate-offers.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/onec');
const CORPUS = '/work/shared/corpus/onec';

type Input = NodeJS.ReadableStream | AsyncIterable<Buffer>;
interface Read {
  header: CmlHeader | undefined;
  priceTypes: CmlPriceType[];
  warehouses: CmlWarehouse[];
  products: CmlProduct[];
  offers: CmlOffer[];
  order: CmlItem['type'][];
}

async function read(input: Input | string, options: Parameters<typeof readCml>[1] = {}): Promise<Read> {
  const r: Read = { header: undefined, priceTypes: [], warehouses: [], products: [], offers: [], order: [] };
  const stream = typeof input === 'string' ? createReadStream(input) : input;
  for await (const item of readCml(stream, options)) {
    r.order.push(item.type);
    if (item.type === 'header') r.header = item.header;
    else if (item.type === 'priceType') r.priceTypes.push(item.priceType);
    else if (item.type === 'warehouse') r.warehouses.push(item.warehouse);
    else if (item.type === 'product') r.products.push(item.product);
    else r.offers.push(item.offer);
  }
  return r;
}

async function failure(input: Input | string, options: Parameters<typeof readCml>[1] = {}): Promise<CmlError> {
  try {
    await read(input, options);
  } catch (e) {
    if (e instanceof CmlError) return e;
    throw e;
  }
  throw new Error('expected a CmlError');
}

const fixture = (name: string): string => join(FIXTURES, name);
const bytes = (text: string | Buffer): Readable => Readable.from([Buffer.from(text)]);
/** The same bytes cut into small chunks, to split characters, the BOM and the declaration. */
const chunked = (buf: Buffer, size: number): Readable =>
  Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

describe('detectKind', () => {
  it.each([
    ['import.xml', 'import'],
    ['import0_1.xml', 'import'],
    ['import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml', 'import'],
    ['upload/1c_catalog/offers.xml', 'offers'],
    ['C:\\exchange\\offers0_1.xml', 'offers'],
    ['prices___d66a6b51-ce9c-4e7a-8c7c-25079721107f.xml', 'prices'],
    ['rests___1af6e7b8.xml', 'rests'],
    ['orders-1.xml', undefined],
    ['bitrix-query-response-full.xml', undefined],
    ['to.xml', undefined],
    ['import.zip', undefined],
  ])('%s → %s', (name, kind) => {
    expect(detectKind(name)).toBe(kind);
  });
});

describe('own fixtures', () => {
  it('reads a windows-1251 catalog with the Каталог/СодержитТолькоИзменения element and all deletion forms', async () => {
    const r = await read(fixture('import_cp1251.xml'), { fileName: 'import.xml' });
    expect(r.order).toEqual(['header', 'priceType', 'priceType', 'warehouse', 'product', 'product', 'product', 'product']);
    expect(r.header).toEqual({
      kind: 'import',
      schemaVersion: '2.04',
      onlyChanges: true,
      generatedAt: '2011-05-12T10:20:30',
      catalogId: 'ca7a1000-0000-4000-8000-000000000001',
    });
    expect(r.priceTypes).toEqual([
      { id: '7c000000-0000-4000-8000-000000000001', name: 'Розничная', currency: 'руб' },
      { id: '7c000000-0000-4000-8000-000000000002', name: 'Оптовая', currency: 'руб' },
    ]);
    expect(r.warehouses).toEqual([{ id: '5c000000-0000-4000-8000-000000000001', name: 'Основной склад' }]);
    expect(r.products).toEqual([
      {
        id: '11111111-0000-4000-8000-000000000001',
        name: 'Чай зелёный «Сенча», 100 г',
        article: 'ЧЗ-100',
        barcode: '4601234567893',
        unit: 'шт',
        deleted: false,
        groupIds: ['9a000000-0000-4000-8000-000000000002'],
      },
      {
        id: '11111111-0000-4000-8000-000000000002',
        name: 'Чай чёрный (снят с продажи)',
        unit: 'Килограмм',
        deleted: true,
        groupIds: ['9a000000-0000-4000-8000-000000000001'],
      },
      { id: '11111111-0000-4000-8000-000000000003', name: 'Пиала', deleted: true, groupIds: [] },
      { id: '11111111-0000-4000-8000-000000000004', name: 'Чайник & ситечко', deleted: true, groupIds: [] },
    ]);
  });

  it('reads offers: BOM, CRLF, a namespace prefix, two price types, NBSP and comma, both stock forms, variants, deletions', async () => {
    const r = await read(fixture('offers0_1.xml'), { fileName: 'offers0_1.xml' });
    expect(r.header).toEqual({
      kind: 'offers',
      schemaVersion: '2.08',
      onlyChanges: true,
      generatedAt: '2019-03-01T09:00:00',
      catalogId: 'ca7a1000-0000-4000-8000-000000000001',
      packageId: 'ca7a1000-0000-4000-8000-000000000001#',
    });
    expect(r.priceTypes.map((t) => t.name)).toEqual(['Розничная', 'Оптовая']);
    expect(r.warehouses.map((w) => w.name)).toEqual(['Основной склад', 'Магазин на Ленина']);
    const [tea, blue, red, gone] = r.offers;
    expect(tea).toEqual({
      id: '11111111-0000-4000-8000-000000000001',
      productId: '11111111-0000-4000-8000-000000000001',
      name: 'Чай зелёный «Сенча», 100 г',
      article: 'ЧЗ-100',
      barcode: '4601234567893',
      deleted: false,
      prices: [
        { priceTypeId: '7c000000-0000-4000-8000-000000000001', amount: '1234.50', currency: 'RUB', unit: 'шт' },
        { priceTypeId: '7c000000-0000-4000-8000-000000000002', amount: '999.00', currency: 'RUB' },
      ],
      stock: [
        { quantity: '12.5' },
        { warehouseId: '5c000000-0000-4000-8000-000000000001', quantity: '10' },
        { warehouseId: '5c000000-0000-4000-8000-000000000002', quantity: '2.5' },
      ],
    });
    expect(blue).toEqual({
      id: '11111111-0000-4000-8000-000000000005#22222222-0000-4000-8000-000000000001',
      productId: '11111111-0000-4000-8000-000000000005',
      variantId: '22222222-0000-4000-8000-000000000001',
      name: 'Кружка (синяя)',
      deleted: false,
      prices: [{ priceTypeId: '7c000000-0000-4000-8000-000000000001', amount: '350' }],
      stock: [{ quantity: '-3' }],
    });
    expect(red).toMatchObject({ variantId: '22222222-0000-4000-8000-000000000002', deleted: true, stock: [{ quantity: '0' }] });
    expect(gone).toMatchObject({ id: '11111111-0000-4000-8000-000000000002', deleted: true, prices: [], stock: [] });
  });

  it('gives the same items whatever the chunk size', async () => {
    const buf = readFileSync(fixture('offers0_1.xml'));
    const whole = await read(bytes(buf));
    for (const size of [1, 2, 3, 7, 100]) expect(await read(chunked(buf, size))).toEqual(whole);
    const cp = readFileSync(fixture('import_cp1251.xml'));
    expect(await read(chunked(cp, 5))).toEqual(await read(bytes(cp)));
  });

  it('reads a schema 3.1 catalog: attribute СодержитТолькоИзменения=false, a unit code with a trailing space, several groups', async () => {
    const r = await read(fixture('import___3a1b2c3d.xml'), { fileName: 'import___3a1b2c3d.xml' });
    expect(r.header).toMatchObject({ kind: 'import', schemaVersion: '3.1', onlyChanges: false });
    expect(r.priceTypes).toEqual([
      { id: '7c000000-0000-4000-8000-000000000031', name: 'Розничные', currency: 'руб' },
      { id: '7c000000-0000-4000-8000-000000000032', name: 'Закупочные' },
    ]);
    expect(r.products).toEqual([
      {
        id: '33333333-0000-4000-8000-000000000001',
        name: 'Товар 1',
        article: '32255',
        unit: '796',
        deleted: false,
        groupIds: ['9a000000-0000-4000-8000-000000000031', '9a000000-0000-4000-8000-000000000032'],
      },
      { id: '33333333-0000-4000-8000-000000000002', name: 'Товар 2', deleted: true, groupIds: [] },
    ]);
  });

  it('reads a split prices file against the price types of its classifier', async () => {
    const knownPriceTypes = new Set(['7c000000-0000-4000-8000-000000000031', '7c000000-0000-4000-8000-000000000032']);
    const r = await read(fixture('prices___4b5c6d7e.xml'), { fileName: 'prices___4b5c6d7e.xml', knownPriceTypes });
    expect(r.header).toEqual({
      kind: 'prices',
      schemaVersion: '3.1',
      onlyChanges: true,
      generatedAt: '2023-06-01T12:00:05',
      catalogId: 'ca7a1000-0000-4000-8000-000000000031',
      packageId: '#',
    });
    expect(r.offers.map((o) => [o.productId, o.variantId, o.prices])).toEqual([
      [
        '33333333-0000-4000-8000-000000000001',
        undefined,
        [
          { priceTypeId: '7c000000-0000-4000-8000-000000000031', amount: '14240', currency: 'руб' },
          { priceTypeId: '7c000000-0000-4000-8000-000000000032', amount: '9000.125' },
        ],
      ],
      [
        '33333333-0000-4000-8000-000000000001',
        '44444444-0000-4000-8000-000000000001',
        [{ priceTypeId: '7c000000-0000-4000-8000-000000000031', amount: '11660', currency: 'руб' }],
      ],
    ]);
    // Without the file name the content says the same.
    expect((await read(fixture('prices___4b5c6d7e.xml'), { knownPriceTypes })).header?.kind).toBe('prices');
    const e = await failure(fixture('prices___4b5c6d7e.xml'));
    expect(e.message).toContain('неизвестный тип цены 7c000000-0000-4000-8000-000000000031');
    expect(e.line).toBe(13);
  });

  it('reads a split rests file: Остаток/Склад{Ид,Количество} and Остаток/Количество', async () => {
    const r = await read(fixture('rests___5c6d7e8f.xml'));
    expect(r.header).toMatchObject({ kind: 'rests', schemaVersion: '3.1', onlyChanges: false, packageId: '#' });
    expect(r.warehouses.map((w) => w.id)).toEqual([
      '5c000000-0000-4000-8000-000000000031',
      '5c000000-0000-4000-8000-000000000032',
    ]);
    expect(r.offers.map((o) => o.stock)).toEqual([
      [
        { warehouseId: '5c000000-0000-4000-8000-000000000031', quantity: '7' },
        { warehouseId: '5c000000-0000-4000-8000-000000000032', quantity: '-1' },
      ],
      [{ quantity: '2.000' }],
    ]);
  });

  it('reads ИзмененияПакетаПредложений (a changes-only package) as offers', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.05"><ИзмененияПакетаПредложений СодержитТолькоИзменения="true">
<Ид>p#</Ид><ТипыЦен><ТипЦены><Ид>t</Ид><Наименование>Розничная</Наименование></ТипЦены></ТипыЦен>
<Предложения><Предложение><Ид>a#b</Ид><Цены><Цена><ИдТипаЦены>t</ИдТипаЦены><ЦенаЗаЕдиницу> 1 000 </ЦенаЗаЕдиницу>
</Цена></Цены><Количество>5</Количество></Предложение></Предложения></ИзмененияПакетаПредложений></КоммерческаяИнформация>`;
    const r = await read(bytes(xml));
    expect(r.header).toEqual({ kind: 'offers', schemaVersion: '2.05', onlyChanges: true, packageId: 'p#' });
    expect(r.offers).toEqual([
      {
        id: 'a#b',
        productId: 'a',
        variantId: 'b',
        deleted: false,
        prices: [{ priceTypeId: 't', amount: '1000' }],
        stock: [{ quantity: '5' }],
      },
    ]);
  });

  it('refuses orders and query replies as not catalog files', async () => {
    const orders = await failure(fixture('orders.xml'));
    expect(orders).toBeInstanceOf(CmlNotCatalogError);
    expect(orders.code).toBe('cml_not_catalog');
    expect(orders.message).toMatch(/заказ.*orders file/);
    const query = await failure(fixture('query-empty.xml'));
    expect(query).toBeInstanceOf(CmlNotCatalogError);
    expect(query.message).toContain('mode=query');
  });

  it('refuses a file whose name says one kind and content another', async () => {
    const e = await failure(fixture('import_cp1251.xml'), { fileName: 'offers.xml' });
    expect(e).not.toBeInstanceOf(CmlNotCatalogError);
    expect(e.message).toMatch(/^offers\.xml: Имя файла говорит «offers»/);
  });
});

describe('malformed files', () => {
  it('a second XML declaration in the middle', async () => {
    const e = await failure(fixture('broken-two-declarations.xml'));
    expect(e.message).toContain('Второе объявление <?xml');
    expect(e.line).toBe(5);
  });

  it('a truncated file, also when cut inside a character', async () => {
    const e = await failure(fixture('broken-truncated.xml'), { fileName: 'rests___5c6d7e8f.xml' });
    expect(e.message).toMatch(/^rests___5c6d7e8f\.xml: Файл оборвался/);
    expect(e.line).toBe(29);
    const cut = readFileSync(fixture('rests___5c6d7e8f.xml')).subarray(0, 900);
    expect((await failure(bytes(cut))).message).toContain('оборвался');
  });

  it('an unknown price type, naming the offer and the line', async () => {
    const e = await failure(fixture('broken-unknown-price-type.xml'));
    expect(e.message).toContain('неизвестный тип цены 7c000000-0000-4000-8000-00000000dead');
    expect(e.message).toContain('66666666-0000-4000-8000-000000000001');
    expect(e.line).toBe(17);
  });

  it('a quantity that is not a number, naming the offer and the line', async () => {
    const e = await failure(fixture('broken-quantity.xml'));
    expect(e.message).toContain('77777777-0000-4000-8000-000000000002');
    expect(e.message).toContain('«много» — не число');
    expect(e.line).toBe(14);
  });

  it('non-XML bytes, a zip, an unknown root, an empty file, windows-1251 bytes that claim UTF-8', async () => {
    expect((await failure(bytes(Buffer.from([0x00, 0x9f, 0x92, 0x96, 0x01])))).message).toMatch(/не в UTF-8|Не XML|не XML/);
    expect((await failure(bytes('Hello, 1C!\n'))).message).toContain('не XML');
    expect((await failure(bytes('PK\u0003\u0004rest of a zip'))).message).toContain('zip');
    const root = await failure(bytes('<?xml version="1.0"?>\n<Каталог/>'));
    expect(root.message).toContain('корневой элемент <Каталог>');
    expect(root.line).toBe(2);
    expect((await failure(bytes(''))).message).toContain('пуст');
    const lying = iconv.encode('<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация/>', 'win1251');
    expect((await failure(bytes(lying))).message).toContain('windows-1251');
  });
});

/** Counts taken from the text with regular expressions, independently of the parser. */
function countByText(text: string) {
  const offers = text.match(/<Предложение[\s>][\s\S]*?<\/Предложение>/g) ?? [];
  const products = text.match(/<Товар[\s>][\s\S]*?<\/Товар>/g) ?? [];
  const deleted = /Статус="Удален"|<Статус>Удален<\/Статус>|<ПометкаУдаления>true<\/ПометкаУдаления>/;
  const all = (re: RegExp, s: string): number => s.match(re)?.length ?? 0;
  const inOffers = offers.join('\n');
  return {
    products: products.length,
    deletedProducts: products.filter((p) => deleted.test(p)).length,
    offers: offers.length,
    deletedOffers: offers.filter((o) => deleted.test(o)).length,
    variants: offers.filter((o) => /^[^>]*>\s*<Ид>[^<#]+#[^<]+<\/Ид>/.test(o)).length,
    priceTypes: all(/<ТипЦены[\s>]/g, text),
    warehouses: (text.match(/<Склады>[\s\S]*?<\/Склады>/g) ?? []).reduce((n, s) => n + all(/<Склад[\s>]/g, s), 0),
    prices: all(/<Цена[\s>]/g, inOffers),
    stock: all(/<Количество>/g, inOffers) + all(/КоличествоНаСкладе="/g, inOffers),
  };
}

describe.runIf(existsSync(CORPUS))('corpus', () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => f.endsWith('.xml')) : [];
  const sources = existsSync(CORPUS) ? readFileSync(join(CORPUS, 'SOURCES.md'), 'utf8') : '';
  /** The name the file had in its repository (import0_1.xml, offers___<GUID>.xml), from SOURCES.md. */
  const originalName = (file: string): string => {
    const row = new RegExp(`^\\| \`${file.replace(/\./g, '\\.')}\` \\|[^|]*\\| \`([^\`]+)\``, 'm').exec(sources);
    return basename(row?.[1] ?? file);
  };
  const decode = (file: string): string => {
    const buf = readFileSync(join(CORPUS, file));
    return /encoding="windows-1251"/.test(buf.subarray(0, 100).toString('latin1'))
      ? iconv.decode(buf, 'win1251')
      : buf.toString('utf8');
  };
  /** Split prices files use the price types of the classifier sent in the same exchange (same repository). */
  const knownPriceTypes = (file: string): Set<string> => {
    const repo = file.split('_')[0];
    const ids = files
      .filter((f) => f.startsWith(`${repo}_`) && f.includes('import'))
      .flatMap((f) => [...decode(f).matchAll(/<ТипЦены>\s*<Ид>([^<]+)<\/Ид>/g)].map((m) => m[1] ?? ''));
    return new Set(ids);
  };
  const notCatalog = (file: string): boolean => /orders|query/.test(file);

  it('has the files SOURCES.md lists', () => {
    expect(files.length).toBeGreaterThanOrEqual(23);
  });

  it.each(files.filter((f) => !notCatalog(f)))('%s: counts match the text', async (file) => {
    const fileName = originalName(file);
    const r = await read(join(CORPUS, file), { fileName, knownPriceTypes: knownPriceTypes(file) });
    const want = countByText(decode(file));
    const got = {
      products: r.products.length,
      deletedProducts: r.products.filter((p) => p.deleted).length,
      offers: r.offers.length,
      deletedOffers: r.offers.filter((o) => o.deleted).length,
      variants: r.offers.filter((o) => o.variantId !== undefined).length,
      priceTypes: r.priceTypes.length,
      warehouses: r.warehouses.length,
      prices: r.offers.reduce((n, o) => n + o.prices.length, 0),
      stock: r.offers.reduce((n, o) => n + o.stock.length, 0),
    };
    expect(got).toEqual(want);
    expect(r.order[0]).toBe('header');
    const named = detectKind(fileName);
    if (named) expect(r.header?.kind).toBe(named);
    // The content alone gives the same kind.
    expect((await read(join(CORPUS, file), { knownPriceTypes: knownPriceTypes(file) })).header?.kind).toBe(r.header?.kind);
    for (const o of r.offers) {
      for (const p of o.prices) expect(p.amount).toMatch(/^-?\d+(\.\d+)?$/);
      for (const s of o.stock) expect(s.quantity).toMatch(/^-?\d+(\.\d+)?$/);
    }
  });

  it.each(files.filter(notCatalog))('%s: refused as not a catalog', async (file) => {
    const e = await failure(join(CORPUS, file), { fileName: originalName(file) });
    expect(e).toBeInstanceOf(CmlNotCatalogError);
    expect(e.message).toMatch(/заказ/);
  });

  it('agrees with the numbers written in SOURCES.md', async () => {
    const get = (f: string, o: Parameters<typeof readCml>[1] = {}) => read(join(CORPUS, f), o);
    const d16 = await get('d16izhevsk_offers0_1_cml2.07_large.xml');
    expect(d16.offers).toHaveLength(2641);
    expect(d16.offers.filter((o) => o.variantId).length).toBe(2100);
    expect(d16.warehouses).toHaveLength(6);
    expect(d16.offers.flatMap((o) => o.stock).filter((s) => s.warehouseId).length).toBe(1725);
    expect(d16.offers.flatMap((o) => o.stock).some((s) => s.quantity === '30.5')).toBe(true);
    expect((await get('d16izhevsk_import0_1_cml2.07_large.xml')).products).toHaveLength(1197);
    const bogutski = await get('bogutski_import_cml2.08.xml');
    expect([bogutski.products.length, bogutski.products.filter((p) => p.deleted).length]).toEqual([540, 6]);
    expect((await get('bogutski_offers_cml2.08.xml')).offers).toHaveLength(523);
    const dobro = await get('dobromyslov_import0_1_cml2.07.xml');
    expect([dobro.products.length, dobro.products.filter((p) => p.deleted).length]).toEqual([36, 1]);
    const dobroOffers = await get('dobromyslov_offers0_1_cml2.07.xml');
    expect([dobroOffers.offers.length, dobroOffers.warehouses.length]).toEqual([44, 3]);
    expect((await get('stee1cat_import___29d3f7f0_cml3.1.xml')).warehouses).toHaveLength(13);
    const rests = await get('gillbeits_rests___1af6e7b8_cml2.09.xml');
    expect(rests.offers).toHaveLength(978);
    expect(rests.offers.flatMap((o) => o.stock).filter((s) => s.quantity === '-1')).toHaveLength(1);
    expect((await get('kickgoods_offers_cml2.04_nonguid.xml')).offers).toHaveLength(324);
    const wagood = await get('wagood_cml3_offers___13955e2c_cml3.1.xml');
    expect(wagood.offers.map((o) => o.variantId)).toEqual([undefined, 'ca3fa92c-8662-11e8-80cb-70106fc831cf']);
  });
});

describe('big files', () => {
  it('keeps memory flat on a ~50 MB offers file streamed on the fly', async () => {
    const count = Math.ceil(50e6 / GEN_OFFER_BYTES);
    // Collect garbage before each sample, so that what is measured is what the reader keeps.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = heap();
    let peak = before;
    let offers = 0;
    let prices = 0;
    let stock = 0;
    for await (const item of readCml(generateOffers(count))) {
      if (item.type !== 'offer') continue;
      offers += 1;
      prices += item.offer.prices.length;
      stock += item.offer.stock.length;
      if (offers % 5000 === 0) peak = Math.max(peak, heap());
    }
    expect([offers, prices, stock]).toEqual([count, 2 * count, 3 * count]);
    expect(peak - before).toBeLessThan(20 * 2 ** 20);
  });
});
