import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  AdApiError,
  classifyVkAds,
  classifyYandexDirect,
  fetchVkAdsSpend,
  fetchYandexDirectSpend,
  spendRecords,
  type FetchDeps,
  type VkAdsFetchOptions,
  type YandexDirectFetchOptions,
} from '../../plugins/ad-analytics/spend/api/index.js';
import { SpendFileError, type SpendImport } from '../../plugins/ad-analytics/spend/index.js';
import { parseFetchSpendOptions } from '../../src/cli/commands/fetch-spend.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { createHttpClient } from '../../src/runtime/http-client.js';
import { AuthError, RateLimitedError, SvodkaError, TransientError, ValidationError } from '../../src/sdk/errors.js';
import type { ResponseClassifier } from '../../src/sdk/http.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/ads/api');
const text = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const json = (name: string): Record<string, unknown> => JSON.parse(text(name)) as Record<string, unknown>;

const TOKEN = 'y0_AgAAAAB3sEcReT-t0k3n_Do-N0t-Le4k';
const YANDEX = 'https://api.direct.yandex.com';
const YANDEX_SANDBOX = 'https://api-sandbox.direct.yandex.com';
const REPORTS = '/json/v5/reports';
const VK = 'https://ads.vk.com';

/** The project's HTTP client (p-retry, the limiter) with the platform's classifier, fast backoff. */
function deps(classify: ResponseClassifier, over: { retries?: number } = {}): FetchDeps & { sleeps: number[] } {
  const sleeps: number[] = [];
  const http = createHttpClient({
    account: 'acc-1',
    limiter: createRateLimiter(),
    limit: { perSecond: 1000 },
    retries: over.retries ?? 3,
    minBackoffMs: 5,
    classify,
  });
  return { http, sleeps, sleep: async (ms) => void sleeps.push(ms) };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!(e instanceof Error)) throw new Error('expected the call to fail');
  return e;
}

/** The token must appear nowhere a person or a log could see: message, JSON, or a full inspection. */
function expectNoToken(e: Error): void {
  expect(e.message).not.toContain(TOKEN);
  expect(JSON.stringify(e)).not.toContain(TOKEN);
  expect(inspect(e, { depth: 20, showHidden: true })).not.toContain(TOKEN);
}

const costs = (r: SpendImport) => Object.fromEntries(r.rows.map((x) => [`${x.campaignId} ${x.day}`, x.cost]));

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('Yandex Direct Reports API client', () => {
  const base: YandexDirectFetchOptions = { token: TOKEN, from: '2026-03-01', to: '2026-03-03' };

  it('repeats the identical request after 201 and 202, waiting what retryIn asks, until 200 brings the report', async () => {
    const bodies: unknown[] = [];
    const record = (body: unknown) => (bodies.push(body), true);
    nock(YANDEX, {
      reqheaders: {
        authorization: `Bearer ${TOKEN}`,
        'client-login': 'agency-client-1',
        'accept-language': 'ru',
        processingmode: 'auto',
        skipreportheader: 'true',
        skipreportsummary: 'true',
      },
      // No returnMoneyInMicros header: Cost comes in micro-units, read exactly as integers.
      badheaders: ['returnMoneyInMicros'],
    })
      .post(REPORTS, record)
      .reply(201, '', { retryIn: '2', reportsInQueue: '1' })
      .post(REPORTS, record)
      .reply(202, '', { retryIn: '1', reportsInQueue: '1' })
      .post(REPORTS, record)
      .reply(200, text('yandex-report.tsv'), { 'Content-Type': 'text/tab-separated-values' });
    const d = deps(classifyYandexDirect);
    const report = await fetchYandexDirectSpend({ ...base, clientLogin: 'agency-client-1' }, d);

    expect(d.sleeps).toEqual([2000, 1000]);
    expect(bodies).toHaveLength(3);
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({
      params: {
        SelectionCriteria: { DateFrom: '2026-03-01', DateTo: '2026-03-03' },
        FieldNames: ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'],
        ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
        DateRangeType: 'CUSTOM_DATE',
        Format: 'TSV',
        IncludeVAT: 'YES',
        ReportName: expect.stringMatching(/^svodka spend 2026-03-01\.\.2026-03-03 [0-9a-f]{12}$/),
      },
    });
    expect(report.platform).toBe('yandex_direct');
    expect(costs(report)).toEqual({
      '70001234 2026-03-01': '1234.56',
      '70005678 2026-03-01': '999.99',
      '70001234 2026-03-02': '1100.00',
      '70005678 2026-03-02': '870.12',
      '70001234 2026-03-03': '765.43',
      // 12345678901234560000 micro-units: past 2^53, a float would have lost the kopecks.
      '70009999 2026-03-03': '12345678901234.56',
    });
    expect(report.rows.every((r) => r.currency === 'RUB')).toBe(true);
    expect(report.rows.find((r) => r.campaignId === '70009999')).toMatchObject({ clicks: 1800, impressions: 2500000 });
    expect(report.campaigns.map((c) => [c.externalId, c.name]).sort()).toEqual([
      ['70001234', 'Бренд — поиск'],
      ['70005678', '"Весна" 2026 — РСЯ'],
      ['70009999', 'Медийная охватная'],
    ]);
  });

  it('bounds the waits: a huge retryIn is cut to maxWaitMs, a missing one is the default, and the total gives up', async () => {
    nock(YANDEX)
      .post(REPORTS)
      .reply(201, '', { retryIn: '3600' })
      .post(REPORTS)
      .reply(202, '')
      .post(REPORTS)
      .reply(202, '', { retryIn: '30' });
    const d = deps(classifyYandexDirect);
    const e = await failure(
      fetchYandexDirectSpend({ ...base, poll: { maxWaitMs: 60_000, defaultWaitMs: 5_000, totalWaitMs: 80_000 } }, d),
    );
    expect(d.sleeps).toEqual([60_000, 5_000]);
    expect(e).toBeInstanceOf(AdApiError);
    expect(e).toMatchObject({ code: 'ad_api_report_timeout', retryable: true });
    expect(e.message).toContain('still being built');
  });

  it('turns an error body into a clear error with the service code and request id, without retrying it', async () => {
    nock(YANDEX).post(REPORTS).reply(400, json('yandex-error-8000.json'));
    const e = await failure(fetchYandexDirectSpend(base, deps(classifyYandexDirect)));
    expect(e).toBeInstanceOf(AdApiError);
    expect(e).toMatchObject({ code: 'ad_api_error', apiCode: '8000', requestId: '8695244274068608439', status: 400, retryable: false });
    expect(e.message).toContain('error 8000 (Неверный запрос)');
    expect(e.message).toContain('Поле Impressions');
  });

  it('reports a rejected token (error 53) as an AuthError that does not carry the token', async () => {
    nock(YANDEX).post(REPORTS).reply(400, json('yandex-error-53.json'));
    const e = await failure(fetchYandexDirectSpend(base, deps(classifyYandexDirect)));
    expect(e).toBeInstanceOf(AuthError);
    expect(e).toMatchObject({ code: 'auth_failed', retryable: false });
    expect(e.message).toContain('error 53');
    expectNoToken(e);
  });

  it('retries 429, 503 and the queue limit (error_code 9000) with backoff, repeating the same report request', async () => {
    const names: string[] = [];
    const record = (body: { params: { ReportName: string } }) => (names.push(body.params.ReportName), true);
    nock(YANDEX)
      .post(REPORTS, record)
      .reply(429, '')
      .post(REPORTS, record)
      .reply(503, '<html>Service Unavailable</html>')
      .post(REPORTS, record)
      .reply(400, json('yandex-error-9000.json'))
      .post(REPORTS, record)
      .reply(200, text('yandex-report.tsv'));
    const report = await fetchYandexDirectSpend(base, deps(classifyYandexDirect, { retries: 3 }));
    expect(report.rows).toHaveLength(6);
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(1);
  });

  it('gives up on a limit once the retries are spent, with a retryable rate-limit error', async () => {
    nock(YANDEX).post(REPORTS).times(2).reply(400, json('yandex-error-9000.json'));
    const e = await failure(fetchYandexDirectSpend(base, deps(classifyYandexDirect, { retries: 1 })));
    expect(e).toBeInstanceOf(RateLimitedError);
    expect(e).toMatchObject({ code: 'rate_limited', retryable: true });
    expect(e.message).toContain('error 9000');
  });

  it('asks the sandbox when told to', async () => {
    nock(YANDEX_SANDBOX).post(REPORTS).reply(200, text('yandex-report.tsv'));
    const report = await fetchYandexDirectSpend({ ...base, sandbox: true, currency: 'KZT' }, deps(classifyYandexDirect));
    expect(report.rows.map((r) => r.currency)).toEqual(Array(6).fill('KZT'));
  });

  it('refuses the whole report when a Cost is not in micro-units, listing the line', async () => {
    const body = 'Date\tCampaignId\tCampaignName\tImpressions\tClicks\tCost\n2026-03-01\t1\tA\t10\t1\t1234.56\n2026-03-01\t2\tB\t10\t1\t1000000\n';
    nock(YANDEX).post(REPORTS).reply(200, body);
    const e = await failure(fetchYandexDirectSpend(base, deps(classifyYandexDirect)));
    expect(e).toBeInstanceOf(SpendFileError);
    expect((e as SpendFileError).problems).toEqual([
      { line: 2, column: 'Cost', message: 'cost "1234.56" is not a whole number of micro-units' },
    ]);
  });

  it('keeps the token out of a network failure, whose HTTP library error holds the request headers', async () => {
    // An Error instance: nock 14 leaves axios hanging on a plain-object error.
    nock(YANDEX).post(REPORTS).replyWithError(Object.assign(new Error(`socket hang up ${TOKEN}`), { code: 'ECONNRESET' }));
    const e = await failure(fetchYandexDirectSpend(base, deps(classifyYandexDirect, { retries: 0 })));
    expect(e).toBeInstanceOf(TransientError);
    expectNoToken(e);
  });

  it('refuses bad options before sending anything, without quoting the token', async () => {
    const e = await failure(fetchYandexDirectSpend({ ...base, from: '2026-03-05', to: '2026-03-01' }, deps(classifyYandexDirect)));
    expect(e).toMatchObject({ code: 'ad_api_bad_options' });
    expect(e.message).toContain('2026-03-05 is after');
    expectNoToken(e);
  });
});

describe('VK Ads statistics client', () => {
  const base: VkAdsFetchOptions = { token: TOKEN, from: '2026-03-01', to: '2026-03-03', pageSize: 2, batchSize: 2 };
  const auth = { reqheaders: { authorization: `Bearer ${TOKEN}` } };

  function listPages(scope = nock(VK, auth)) {
    return scope
      .get('/api/v2/ad_plans.json')
      .query({ fields: 'id,name', limit: '2', offset: '0', _status__in: 'active,blocked,deleted' })
      .reply(200, json('vk-ad-plans-page-1.json'))
      .get('/api/v2/ad_plans.json')
      .query({ fields: 'id,name', limit: '2', offset: '2', _status__in: 'active,blocked,deleted' })
      .reply(200, json('vk-ad-plans-page-2.json'));
  }
  const stats = (ids: string, from = '2026-03-01', to = '2026-03-03') => ({ id: ids, date_from: from, date_to: to, metrics: 'base' });

  it('pages through the campaigns, asks statistics for them in batches of ids, and keeps money exact', async () => {
    listPages()
      .get('/api/v2/statistics/ad_plans/day.json')
      .query(stats('6617841,6711647'))
      .reply(200, json('vk-statistics-batch-1.json'))
      .get('/api/v2/statistics/ad_plans/day.json')
      .query(stats('6711665'))
      .reply(200, json('vk-statistics-batch-2.json'));
    const report = await fetchVkAdsSpend(base, deps(classifyVkAds));
    expect(report).toMatchObject({ platform: 'vk_ads', format: 'vk_ads_api_ad_plans', skipped: [] });
    // Days without impressions, clicks or spend are left out.
    expect(costs(report)).toEqual({
      '6617841 2026-03-01': '23328.92',
      '6617841 2026-03-03': '0.10',
      '6711647 2026-03-01': '999999999999.99',
      '6711647 2026-03-02': '0.20',
      '6711665 2026-03-01': '45.50',
    });
    expect(report.rows.find((r) => r.campaignId === '6617841' && r.day === '2026-03-01')).toMatchObject({ impressions: 75881, clicks: 270, currency: 'RUB' });
    expect(Object.fromEntries(report.campaigns.map((c) => [c.externalId, c.name]))).toEqual({
      '6617841': 'Весенняя распродажа',
      '6711647': 'Ретаргетинг — корзина',
      '6711665': 'Удалённая кампания',
    });
  });

  it('cuts a long period into pieces of maxDays and reads the old campaigns resource when asked', async () => {
    const one = (date: string) => ({ items: [{ id: 7, rows: [{ date, base: { shows: 1, clicks: 1, spent: '1.01' } }] }] });
    nock(VK, auth)
      .get('/api/v2/campaigns.json')
      .query({ fields: 'id,name', limit: '50', offset: '0' })
      .reply(200, { count: 1, items: [{ id: 7, name: 'Группа' }] })
      .get('/api/v2/statistics/campaigns/day.json')
      .query(stats('7', '2026-02-27', '2026-02-28'))
      .reply(200, one('2026-02-28'))
      .get('/api/v2/statistics/campaigns/day.json')
      .query(stats('7', '2026-03-01', '2026-03-01'))
      .reply(200, one('2026-03-01'));
    const report = await fetchVkAdsSpend({ token: TOKEN, from: '2026-02-27', to: '2026-03-01', level: 'campaigns', maxDays: 2 }, deps(classifyVkAds));
    expect(costs(report)).toEqual({ '7 2026-02-28': '1.01', '7 2026-03-01': '1.01' });
  });

  it('waits and retries after 429, then carries on', async () => {
    listPages()
      .get('/api/v2/statistics/ad_plans/day.json')
      .query(stats('6617841,6711647'))
      .reply(429, { error: { code: 'rate_limit', message: 'Too many requests' } })
      .get('/api/v2/statistics/ad_plans/day.json')
      .query(stats('6617841,6711647'))
      .reply(200, json('vk-statistics-batch-1.json'))
      .get('/api/v2/statistics/ad_plans/day.json')
      .query(stats('6711665'))
      .reply(200, json('vk-statistics-batch-2.json'));
    const report = await fetchVkAdsSpend(base, deps(classifyVkAds));
    expect(report.rows).toHaveLength(5);
  });

  it('says the token was rejected on 401, once, without the token anywhere', async () => {
    nock(VK).get('/api/v2/ad_plans.json').query(true).reply(401, json('vk-error-401.json'));
    const e = await failure(fetchVkAdsSpend(base, deps(classifyVkAds)));
    expect(e).toBeInstanceOf(AuthError);
    expect(e.message).toMatch(/token was rejected \(HTTP 401, invalid_token\)/);
    expectNoToken(e);
  });

  it('passes on VK error codes such as ERR_LIMIT_EXCEEDED', async () => {
    listPages().get('/api/v2/statistics/ad_plans/day.json').query(true).reply(400, json('vk-error-400-limit.json'));
    const e = await failure(fetchVkAdsSpend(base, deps(classifyVkAds)));
    expect(e).toMatchObject({ code: 'ad_api_error', apiCode: 'ERR_LIMIT_EXCEEDED', status: 400, retryable: false });
  });

  it('refuses everything when a value is bad, listing each problem', async () => {
    nock(VK, auth)
      .get('/api/v2/ad_plans.json')
      .query(true)
      .reply(200, { count: 1, items: [{ id: 1, name: 'A' }] })
      .get('/api/v2/statistics/ad_plans/day.json')
      .query(true)
      .reply(200, {
        items: [
          {
            id: 1,
            rows: [
              { date: '2026-03-01', base: { shows: 1, clicks: 0, spent: '12,50' } },
              { date: '2026-03-02', base: { shows: 1, clicks: 0, spent: '5.00' } },
              { date: '2026-03-03', base: { shows: 1, clicks: 0, spent: '1e3' } },
            ],
          },
        ],
      });
    const e = await failure(fetchVkAdsSpend(base, deps(classifyVkAds)));
    expect(e).toBeInstanceOf(SpendFileError);
    expect((e as SpendFileError).problems.map((p) => p.message)).toEqual([
      'campaign 1, 2026-03-01: spent "12,50" is not a decimal amount',
      'campaign 1, 2026-03-03: spent "1e3" is not a decimal amount',
    ]);
  });

  it('calls an answer of the wrong shape a bad response', async () => {
    nock(VK).get('/api/v2/ad_plans.json').query(true).reply(200, { items: 'nope' });
    const e = await failure(fetchVkAdsSpend(base, deps(classifyVkAds)));
    expect(e).toMatchObject({ code: 'ad_api_bad_response' });
  });
});

describe('fetched spend in the store', () => {
  it('uses the keys of the file import: campaigns by id, spend by platform, campaign and day', () => {
    const report: SpendImport = {
      platform: 'vk_ads',
      format: 'vk_ads_api_ad_plans',
      rows: [{ platform: 'vk_ads', campaignId: '7', day: '2026-03-01', cost: '1.01', currency: 'RUB', clicks: 1, impressions: 2 }],
      campaigns: [{ platform: 'vk_ads', externalId: '7', name: 'Группа' }],
      skipped: [],
    };
    expect(spendRecords(report)).toEqual({
      campaigns: [{ externalId: '7', platform: 'vk_ads', name: 'Группа' }],
      spend: [{ externalId: 'vk_ads:7:2026-03-01', platform: 'vk_ads', campaignId: '7', day: '2026-03-01', cost: '1.01', currency: 'RUB', clicks: 1, impressions: 2 }],
    });
  });
});

describe('svodka fetch spend options', () => {
  const o = { platform: 'yandex_direct', tokenEnv: 'YD_TOKEN', from: '2026-03-01', to: '2026-03-03' };

  it('reads the token from the named environment variable', () => {
    expect(parseFetchSpendOptions({ ...o, clientLogin: 'client-1', sandbox: true }, { YD_TOKEN: ` ${TOKEN}\n` })).toMatchObject({
      platform: 'yandex_direct',
      token: TOKEN,
      clientLogin: 'client-1',
      sandbox: true,
    });
  });

  it('refuses a missing variable by its name, and options that do not fit the platform', () => {
    const missing = (() => {
      try {
        parseFetchSpendOptions(o, {});
      } catch (e) {
        return e;
      }
    })();
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as Error).message).toContain('YD_TOKEN');
    expect(() => parseFetchSpendOptions({ ...o, platform: 'vk_ads', sandbox: true }, { YD_TOKEN: TOKEN })).toThrow(/--sandbox: only for --platform yandex_direct/);
    expect(() => parseFetchSpendOptions({ ...o, from: '2026-03-04' }, { YD_TOKEN: TOKEN })).toThrow(/--from: 2026-03-04 is after --to 2026-03-03/);
    expect(() => parseFetchSpendOptions({ ...o, tokenEnv: 'not a name' }, { YD_TOKEN: TOKEN })).toThrow(SvodkaError);
  });
});
