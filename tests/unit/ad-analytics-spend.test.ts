import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseDay } from '../../plugins/ad-analytics/spend/dates.js';
import {
  derivedCampaignId,
  parseSpendFile,
  SpendFileError,
  type ParseSpendOptions,
  type SpendImport,
} from '../../plugins/ad-analytics/spend/index.js';
import { formatUnits, parseAmount, parseMicros } from '../../plugins/ad-analytics/spend/money.js';
import { sheetNumberText } from '../../plugins/ad-analytics/spend/xlsx-number.js';
import { SvodkaError } from '../../src/sdk/errors.js';
import { makeXlsx, vkAdsSheet, yandexWebSheet } from '../fixtures/ads/make-xlsx.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/ads');
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));
const parse = (name: string, options: Partial<ParseSpendOptions> = {}): SpendImport =>
  parseSpendFile(fixture(name), { fileName: name, ...options });
const parseText = (text: string, options: Partial<ParseSpendOptions> = {}): SpendImport =>
  parseSpendFile(Buffer.from(text, 'utf8'), { fileName: 'upload.csv', ...options });

function failure(run: () => unknown): SpendFileError {
  try {
    run();
  } catch (e) {
    if (e instanceof SpendFileError) return e;
    throw e;
  }
  throw new Error('expected a SpendFileError');
}

/** Adds exact decimal strings the way a person checks a sum: in whole kopecks (the fixtures use at most 2 places). */
function addRub(a: string, b: string): string {
  const kopecks = (s: string) => {
    const [int = '0', frac = ''] = s.split('.');
    expect(frac.length).toBeLessThanOrEqual(2);
    return BigInt(int) * 100n + BigInt(frac.padEnd(2, '0'));
  };
  const sum = kopecks(a) + kopecks(b);
  return `${sum / 100n}.${(sum % 100n).toString().padStart(2, '0')}`;
}

interface Totals {
  cost: string;
  clicks: number;
  impressions: number;
  days: string[];
}

/** Per campaign id: cost, clicks and impressions over the file, and the days it has rows for. */
function totals(result: SpendImport): Record<string, Totals> {
  const out: Record<string, Totals> = {};
  for (const r of result.rows) {
    const t = (out[r.campaignId] ??= { cost: '0.00', clicks: 0, impressions: 0, days: [] });
    t.cost = addRub(t.cost, r.cost);
    t.clicks += r.clicks;
    t.impressions += r.impressions;
    if (!t.days.includes(r.day)) t.days.push(r.day);
  }
  return out;
}

const row = (result: SpendImport, campaignId: string, day: string) => result.rows.find((r) => r.campaignId === campaignId && r.day === day);

describe('Yandex Direct Reports API TSV', () => {
  const result = parse('yandex-api.tsv');

  it('is recognised by its header, after the report-name line', () => {
    expect(result.platform).toBe('yandex_direct');
    expect(result.format).toBe('yandex_direct_api_tsv');
  });

  it('turns micro-units into roubles and sums each campaign exactly', () => {
    expect(totals(result)).toEqual({
      // 1234.56 + 200.00 + 1100.00 + 765.43 (1 234 560 000 + 200 000 000 + 1 100 000 000 + 765 430 000 micros)
      '70001234': { cost: '3299.99', clicks: 35 + 5 + 30 + 22, impressions: 1200 + 300 + 1100 + 900, days: ['2026-03-01', '2026-03-02', '2026-03-03'] },
      // 999.99 + 870.12 + 1050.50
      '70005678': { cost: '2920.61', clicks: 40 + 38 + 45, impressions: 15000 + 14000 + 16000, days: ['2026-03-01', '2026-03-02', '2026-03-03'] },
    });
    expect(result.rows.every((r) => r.currency === 'RUB')).toBe(true);
  });

  it('sums the two ad groups of one campaign and day into one row', () => {
    expect(result.rows).toHaveLength(6);
    expect(row(result, '70001234', '2026-03-01')).toEqual({
      platform: 'yandex_direct',
      campaignId: '70001234',
      day: '2026-03-01',
      cost: '1434.56', // 1234.56 + 200.00
      currency: 'RUB',
      clicks: 40,
      impressions: 1500,
    });
  });

  it('skips the "Total rows" line and lists the campaigns', () => {
    expect(result.skipped).toEqual([{ line: 10, reason: 'summary line "Total rows: 7"' }]);
    expect(result.campaigns).toEqual([
      { platform: 'yandex_direct', externalId: '70001234', name: 'Бренд — поиск' },
      { platform: 'yandex_direct', externalId: '70005678', name: 'РСЯ ретаргетинг' },
    ]);
  });

  it('reads amounts asked for with returnMoneyInMicros: false, without report header or summary', () => {
    const r = parseText('Date\tCampaignId\tClicks\tCost\n2026-03-01\t1\t3\t1234.56\n2026-03-01\t1\t1\t0.44\n2026-03-02\t1\t0\t150\n', { currency: 'KZT' });
    expect(r.rows.map((x) => [x.day, x.cost, x.currency, x.impressions])).toEqual([
      ['2026-03-01', '1235.00', 'KZT', 0],
      ['2026-03-02', '150.00', 'KZT', 0],
    ]);
    // A campaign with only an id is named by its id.
    expect(r.campaigns).toEqual([{ platform: 'yandex_direct', externalId: '1', name: '1' }]);
  });

  it("keeps quotes that open a name as the name's own", () => {
    const r = parseText('Date\tCampaignName\tCost\n2026-03-01\t"Весна" 2026\t1000000\n2026-03-01\t"Лето ""24"""\t20000\n');
    expect(r.campaigns.map((c) => c.name)).toEqual(['"Весна" 2026', 'Лето "24"']);
    expect(r.rows.map((x) => x.cost).sort()).toEqual(['0.02', '1.00']);
  });

  it('takes whole numbers that are not multiples of 10 000 as amounts, not micros', () => {
    const r = parseText('Date\tCampaignName\tCost\n2026-03-01\tA\t150\n2026-03-01\tB\t--\n');
    const name = (id: string) => r.campaigns.find((c) => c.externalId === id)?.name;
    expect(Object.fromEntries(r.rows.map((x) => [name(x.campaignId), x.cost]))).toEqual({ A: '150.00', B: '0.00' });
  });
});

describe('Yandex Direct web report, CSV in windows-1251', () => {
  const bytes = fixture('yandex-web.csv');
  const result = parse('yandex-web.csv');

  it('is really windows-1251, not UTF-8', () => {
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(iconv.decode(bytes, 'win1251')).toContain('Расход (руб.)');
  });

  it('finds the header below the title lines and reads decimal commas, spaces and NBSP in numbers', () => {
    expect(result.format).toBe('yandex_direct_web_csv');
    expect(totals(result)).toEqual({
      // 1 234,56 + 1 100 + 12,3 + — (no spend)
      '70001234': { cost: '2346.86', clicks: 35 + 30 + 2 + 0, impressions: 1200 + 1100 + 100 + 900, days: ['2026-03-01', '2026-03-02', '2026-03-03'] },
      // 999,9 + 870,12 + 1 050,5
      '70009999': { cost: '2920.52', clicks: 40 + 38 + 45, impressions: 15000 + 14000 + 16000, days: ['2026-03-01', '2026-03-02', '2026-03-03'] },
    });
  });

  it('sums search and network lines of one campaign and day', () => {
    expect(row(result, '70001234', '2026-03-02')).toMatchObject({ cost: '1112.30', clicks: 32, impressions: 1200 });
  });

  it('skips the Итого line, decodes Cyrillic names and takes roubles from the header', () => {
    expect(result.skipped).toEqual([{ line: 13, reason: 'total line "Итого"' }]);
    expect(result.campaigns.map((c) => c.name)).toEqual(['Бренд — поиск', 'Ёлки и ели']);
    expect(new Set(result.rows.map((r) => r.currency))).toEqual(new Set(['RUB']));
  });

  it('skips a dated subtotal line but keeps a campaign whose name only starts with a total word', () => {
    const r = parseText(
      'День;Кампания;№ Кампании;Расход (руб.)\n01.03.2026;Итого;;10,00\n01.03.2026;Итого продаж;5;4,00\n01.03.2026;Total sale;6;6,00\n',
    );
    expect(r.skipped).toEqual([{ line: 2, reason: 'total line "Итого"' }]);
    expect(r.rows.map((x) => [x.campaignId, x.cost])).toEqual([
      ['5', '4.00'],
      ['6', '6.00'],
    ]);
  });

  it('reads the same report saved as UTF-8 with tabs alike', () => {
    const tsv = iconv.decode(bytes, 'win1251').replace(/;/g, '\t');
    const again = parseText(tsv);
    expect(again.format).toBe('yandex_direct_web_tsv');
    expect(again.rows).toEqual(result.rows);
  });

  it('reads it saved as UTF-16 "Unicode text" by Excel, and with Excel\'s "sep=" line', () => {
    const text = iconv.decode(bytes, 'win1251');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replace(/;/g, '\t'), 'utf16le')]);
    expect(parseSpendFile(utf16, { fileName: 'direct.txt' }).rows).toEqual(result.rows);
    expect(parseText(`sep=;\n${text}`).rows).toEqual(result.rows);
  });
});

describe('Yandex Direct web report, XLSX', () => {
  const result = parse('yandex-web.xlsx');

  it('reads date cells, text dates and the float Excel stored, exactly', () => {
    expect(result.format).toBe('yandex_direct_web_xlsx');
    expect(totals(result)).toEqual({
      // 1500.5 + 0.1 + 1234.5599999999999 (shown by Excel as 1234.56)
      '70001234': { cost: '2735.16', clicks: 20 + 1 + 18, impressions: 1000 + 10 + 900, days: ['2026-04-01', '2026-04-02'] },
      // 333.33 + 250
      '70002222': { cost: '583.33', clicks: 12 + 10, impressions: 5000 + 4000, days: ['2026-04-01', '2026-04-02'] },
    });
    expect(row(result, '70001234', '2026-04-01')?.cost).toBe('1500.60');
    expect(row(result, '70001234', '2026-04-02')?.cost).toBe('1234.56');
    expect(result.skipped).toEqual([{ line: 10, reason: 'total line "Итого"' }]);
  });

  it('is the workbook make-xlsx.ts writes', () => {
    expect(makeXlsx([yandexWebSheet]).equals(fixture('yandex-web.xlsx'))).toBe(true);
  });

  it('reads prefixed element names and the 1904 date system', () => {
    const other = makeXlsx([yandexWebSheet], { prefixed: true, date1904: true });
    expect(parseSpendFile(other, { fileName: 'direct.xlsx' }).rows).toEqual(result.rows);
  });
});

describe('VK Ads CSV', () => {
  const result = parse('vk-ads.csv');

  it('reads DD.MM.YY dates, quoted names and "Потрачено, ₽"', () => {
    expect(result.platform).toBe('vk_ads');
    expect(result.format).toBe('vk_ads_csv');
    expect(totals(result)).toEqual({
      // 1 500,00 + 1 350,75 + 1 650,25
      '1111': { cost: '4501.00', clicks: 50 + 45 + 55, impressions: 10000 + 9000 + 11000, days: ['2026-03-01', '2026-03-02', '2026-03-03'] },
      // 750,5 + 700
      '2222': { cost: '1450.50', clicks: 10 + 9, impressions: 20000 + 18000, days: ['2026-03-01', '2026-03-02'] },
    });
    expect(result.campaigns.map((c) => c.name)).toEqual(['Весна | лиды', 'Охват "Москва"; МО']);
    expect(result.skipped).toEqual([{ line: 7, reason: 'total line "Всего"' }]);
  });
});

describe('VK Ads XLSX', () => {
  const result = parse('vk-ads.xlsx');

  it('finds the statistics on the second sheet and sums duplicate lines', () => {
    expect(result.format).toBe('vk_ads_xlsx');
    expect(totals(result)).toEqual({
      // 2100.4 + 899.6 + 1999.99
      '3333': { cost: '4999.99', clicks: 70 + 30 + 61, impressions: 7000 + 3000 + 6500, days: ['2026-05-01', '2026-05-02'] },
      '4444': { cost: '100.00', clicks: 5, impressions: 1000, days: ['2026-05-02'] },
    });
    expect(row(result, '3333', '2026-05-01')).toMatchObject({ cost: '3000.00', clicks: 100, impressions: 10000 });
    expect(result.skipped).toEqual([{ line: 6, reason: 'total line "Итого"' }]);
  });

  it('needs the platform when the header alone could be Yandex or VK', () => {
    const bytes = makeXlsx([vkAdsSheet]);
    expect(failure(() => parseSpendFile(bytes, { fileName: 'stats.xlsx' })).code).toBe('spend_ambiguous_format');
    expect(parseSpendFile(bytes, { fileName: 'stats.xlsx', platform: 'vk_ads' }).rows).toEqual(result.rows);
  });
});

describe('generic CSV', () => {
  const result = parse('generic.csv');

  it('reads UTF-8 with a BOM, headers in any case, and rows of several platforms', () => {
    expect(result.format).toBe('generic_csv');
    expect(result.platform).toBe('other');
    const spring = derivedCampaignId('vk_ads', 'Весна');
    expect(totals(result)).toEqual({
      // "1 234,56" + 200.00
      '70001234': { cost: '1434.56', clicks: 40, impressions: 1500, days: ['2026-03-01'] },
      // 1500 + 1350.75
      [spring]: { cost: '2850.75', clicks: 95, impressions: 19000, days: ['2026-03-01', '2026-03-02'] },
      [derivedCampaignId('telegram_ads', 'TG promo')]: { cost: '99.90', clicks: 3, impressions: 5000, days: ['2026-03-02'] },
      [derivedCampaignId('other', 'Offline flyers')]: { cost: '12.30', clicks: 0, impressions: 0, days: ['2026-03-02'] },
    });
  });

  it('keeps the UTM tags the summed lines agree on', () => {
    expect(row(result, '70001234', '2026-03-01')).toEqual({
      platform: 'yandex_direct',
      campaignId: '70001234',
      day: '2026-03-01',
      cost: '1434.56',
      currency: 'RUB',
      clicks: 40,
      impressions: 1500,
      utm: { source: 'yandex', medium: 'cpc', campaign: 'brand' },
    });
    expect(result.campaigns.find((c) => c.name === 'Весна')).toEqual({
      platform: 'vk_ads',
      externalId: derivedCampaignId('vk_ads', 'Весна'),
      name: 'Весна',
      utmCampaign: 'spring',
    });
  });

  it('derives the same id for the same platform and name, whatever the spacing and case', () => {
    expect(derivedCampaignId('vk_ads', '  весна ')).toBe(derivedCampaignId('vk_ads', 'Весна'));
    expect(derivedCampaignId('vk_ads', 'Весна')).not.toBe(derivedCampaignId('yandex_direct', 'Весна'));
    expect(derivedCampaignId('vk_ads', 'Весна')).toMatch(/^name-[0-9a-f]{24}$/);
  });

  it('reads a ;-separated file with only date, campaign and cost; the platform comes from the caller', () => {
    const r = parseText('DATE;CAMPAIGN;COST\n01.03.2026;Листовки;1 000\n01.03.2026;Листовки;0,5\n', { platform: 'vk_ads', currency: 'RUB' });
    expect(r.platform).toBe('vk_ads');
    expect(r.rows).toEqual([
      { platform: 'vk_ads', campaignId: derivedCampaignId('vk_ads', 'Листовки'), day: '2026-03-01', cost: '1000.50', currency: 'RUB', clicks: 0, impressions: 0 },
    ]);
  });
});

describe('a report with no lines', () => {
  it('is an empty import, not an error', () => {
    const r = parseText('"Spend (2026-03-01 - 2026-03-01)"\nDate\tCampaignId\tCost\nTotal rows: 0\n');
    expect(r).toEqual({
      platform: 'yandex_direct',
      format: 'yandex_direct_api_tsv',
      rows: [],
      campaigns: [],
      skipped: [{ line: 3, reason: 'summary line "Total rows: 0"' }],
    });
  });
});

describe('money, dates and spreadsheet numbers', () => {
  const amount = (s: string) => {
    const r = parseAmount(s);
    return r.ok ? formatUnits(r.value.units) : `error: ${r.reason}`;
  };

  it('parses the ways reports write money, exactly', () => {
    expect(amount('1 234,56')).toBe('1234.56');
    expect(amount('1\u00a0234,56')).toBe('1234.56');
    expect(amount('1234.56')).toBe('1234.56');
    expect(amount('1 234.5')).toBe('1234.50');
    expect(amount('12,3')).toBe('12.30');
    expect(amount('1,234.56')).toBe('1234.56');
    expect(amount('1.234.567,8')).toBe('1234567.80');
    expect(amount('0.00000001')).toBe('0.00000001');
    expect(amount('1 234,56 ₽')).toBe('1234.56');
    expect(parseAmount('$12.5')).toEqual({ ok: true, value: { units: 1_250_000_000n, currency: 'USD' } });
    expect(amount('12.3.4')).toMatch(/^error: "12.3.4" is not a number/);
    expect(amount('12 34')).toMatch(/^error/);
    expect(amount('-5')).toMatch(/negative/);
    expect(amount('abc')).toMatch(/^error/);
    const micros = parseMicros('1234567800');
    expect(micros.ok && formatUnits(micros.value.units)).toBe('1234.5678');
  });

  it('parses days and refuses days that do not exist', () => {
    expect(parseDay('2026-03-01')).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDay('01.03.2026')).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDay('1.3.26')).toEqual({ ok: true, value: '2026-03-01' });
    expect(parseDay('29.02.2028')).toEqual({ ok: true, value: '2028-02-29' });
    expect(parseDay('31.02.2026').ok).toBe(false);
    expect(parseDay('2026-13-01').ok).toBe(false);
    expect(parseDay('03/01/2026').ok).toBe(false);
    expect(parseDay('01.03.2026 - 07.03.2026')).toEqual({ ok: false, reason: '"01.03.2026 - 07.03.2026" is a period, not a day: export the report by day' });
  });

  it('shows spreadsheet numbers as Excel does', () => {
    expect(sheetNumberText('1234.5599999999999')).toBe('1234.56');
    expect(sheetNumberText('0.30000000000000004')).toBe('0.3');
    expect(sheetNumberText('1.5E-3')).toBe('0.0015');
    expect(sheetNumberText('1.2345E+5')).toBe('123450');
    expect(sheetNumberText('9.9999999999999999')).toBe('10');
  });
});

describe('bad input', () => {
  it('refuses an empty file', () => {
    for (const bytes of [Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \r\n\r\n')]) {
      expect(failure(() => parseSpendFile(bytes, { fileName: 'empty.csv' })).code).toBe('spend_empty_file');
    }
  });

  it('refuses a header it does not know', () => {
    const e = failure(() => parseText('Фамилия;Имя;Сумма\nИванов;Иван;100\n'));
    expect(e.code).toBe('spend_unknown_format');
    expect(e).toBeInstanceOf(SvodkaError);
    expect(e.message).toMatch(/^upload\.csv: no header of a known spend report/);
  });

  it('names the missing column of a header it half knows', () => {
    const e = failure(() => parseText('Date\tCampaignId\tClicks\n2026-03-01\t1\t3\n'));
    expect(e.code).toBe('spend_missing_column');
    expect(e.message).toContain('line 1');
    expect(e.message).toContain('no cost column');
  });

  it('refuses a cost of "12.3.4", naming the line and column', () => {
    const e = failure(() => parseText('date,campaign,cost\n2026-03-01,A,10\n2026-03-01,B,12.3.4\n'));
    expect(e.code).toBe('spend_bad_value');
    expect(e.problems).toEqual([{ line: 3, column: 'cost', message: 'cost "12.3.4" is not a number (digit groups do not match thousands)' }]);
    expect(e.message).toContain('line 3, column "cost": cost "12.3.4"');
  });

  it('refuses 31.02.2026', () => {
    const e = failure(() => parseText('День;Кампания;Расход (руб.)\n31.02.2026;A;1,00\n'));
    expect(e.code).toBe('spend_bad_value');
    expect(e.message).toContain('line 2, column "День": "31.02.2026" is not a real calendar day');
  });

  it('imports nothing when any line is bad, and lists at most 20 problems', () => {
    const good = Array.from({ length: 5 }, (_, i) => `2026-03-0${i + 1},Good,1.00`);
    const bad = Array.from({ length: 25 }, (_, i) => `2026-03-01,Bad ${i},x${i}`);
    const e = failure(() => parseText(['date,campaign,cost', ...good, ...bad].join('\n')));
    expect(e.code).toBe('spend_bad_value');
    expect(e.problems).toHaveLength(20);
    expect(e.problemCount).toBe(25);
    expect(e.problems[0]).toMatchObject({ line: 7, column: 'cost' });
    expect(e.message).toMatch(/25 problems, nothing was imported: .*; and 5 more$/);
  });

  it('refuses negative costs, broken counts, unknown platforms and lines without a campaign', () => {
    const e = failure(() =>
      parseText('date,platform,campaign,cost,clicks\n2026-03-01,vk,A,-5,1\n2026-03-01,vk,A,5,1.5\n2026-03-01,facebook,A,5,1\n2026-03-01,vk,,5,1\n'),
    );
    expect(e.problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'cost'],
      [3, 'clicks'],
      [4, 'platform'],
      [5, 'campaign'],
    ]);
  });

  it('refuses a currency or platform that contradicts the file', () => {
    expect(failure(() => parse('yandex-web.csv', { currency: 'USD' })).code).toBe('spend_currency_mismatch');
    expect(failure(() => parse('yandex-api.tsv', { platform: 'vk_ads' })).code).toBe('spend_platform_mismatch');
    expect(parse('yandex-web.csv', { currency: 'RUB', platform: 'yandex_direct' }).rows).toHaveLength(6);
    // "other" claims nothing about a file whose layout names its platform.
    expect(parse('yandex-api.tsv', { platform: 'other' }).platform).toBe('yandex_direct');
  });

  it('refuses two currencies for one campaign and day', () => {
    const e = failure(() => parseText('date,campaign,cost,currency\n2026-03-01,A,1,RUB\n2026-03-01,A,1,USD\n'));
    expect(e.code).toBe('spend_bad_value');
    expect(e.problems[0]?.message).toBe('USD here, but line 2 of the same campaign and day is in RUB');
  });

  it('refuses old .xls files and broken workbooks', () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(failure(() => parseSpendFile(ole, { fileName: 'report.xls' })).code).toBe('spend_unsupported_file');
    const broken = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(100, 1)]);
    expect(failure(() => parseSpendFile(broken, { fileName: 'report.xlsx' })).code).toBe('spend_bad_file');
    const cut = fixture('vk-ads.xlsx').subarray(0, 1500);
    expect(failure(() => parseSpendFile(cut, { fileName: 'report.xlsx' })).code).toBe('spend_bad_file');
  });

  it('refuses an unclosed quote', () => {
    const e = failure(() => parseText('date,campaign,cost\n2026-03-01,"A,1\n'));
    expect(e.code).toBe('spend_bad_file');
    expect(e.message).toContain('line 2');
  });
});
