import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { SpendImport } from '../schema.js';
import { AdApiError, API_NAME, bodyText, headerSeconds, withoutSecret } from './errors.js';
import { commonFetchOptions, defaultSleep, parseFetchOptions, type FetchDeps } from './fetch-options.js';
import { parseYandexReport, REPORT_FIELDS } from './yandex-direct-report.js';

export const YANDEX_REPORTS_URL = 'https://api.direct.yandex.com/json/v5/reports';
export const YANDEX_SANDBOX_REPORTS_URL = 'https://api-sandbox.direct.yandex.com/json/v5/reports';

const API = API_NAME.yandex_direct;

export const yandexDirectFetchOptions = commonFetchOptions.extend({
  /** The advertiser's login, when an agency's token makes the request. */
  clientLogin: z.string().min(1).max(255).optional(),
  sandbox: z.boolean().default(false),
  /** Cost with VAT, as the account is charged (the report's IncludeVAT). */
  includeVat: z.boolean().default(true),
  /** Fixed only by tests; otherwise derived from the request and the moment of this fetch. */
  reportName: z.string().min(1).max(255).optional(),
  poll: z
    .object({
      /** The wait when a 201/202 has no retryIn header. */
      defaultWaitMs: z.int().min(0).default(10_000),
      minWaitMs: z.int().min(0).default(1_000),
      maxWaitMs: z.int().min(0).default(60_000),
      /** All waits of one report together; past it the fetch gives up (retryable). */
      totalWaitMs: z.int().min(0).default(15 * 60_000),
    })
    .prefault({}),
});
export type YandexDirectFetchOptions = z.input<typeof yandexDirectFetchOptions>;
type Options = z.output<typeof yandexDirectFetchOptions>;

/**
 * Daily spend of every campaign of a Yandex Direct account from the Reports API: a
 * CAMPAIGN_PERFORMANCE_REPORT for the days from..to, as the rows a report file gives. In auto mode the
 * service answers 200 with the report, or 201/202 while it builds it offline: then the identical
 * request (same ReportName) is repeated after the retryIn seconds it asks for, within bounds.
 * `deps.http` must be built with `classifyYandexDirect`; it retries limits and server errors.
 */
export async function fetchYandexDirectSpend(options: YandexDirectFetchOptions, deps: FetchDeps): Promise<SpendImport> {
  const o = parseFetchOptions('yandex_direct', yandexDirectFetchOptions, options);
  return withoutSecret(o.token, async () => {
    const url = o.sandbox ? YANDEX_SANDBOX_REPORTS_URL : YANDEX_REPORTS_URL;
    const body = reportDefinition(o);
    const headers: Record<string, string> = {
      Authorization: `Bearer ${o.token}`,
      'Accept-Language': 'ru',
      processingMode: 'auto',
      skipReportHeader: 'true',
      skipReportSummary: 'true',
      ...(o.clientLogin ? { 'Client-Login': o.clientLogin } : {}),
    };
    const sleep = deps.sleep ?? defaultSleep;
    let waited = 0;
    for (;;) {
      const res = await deps.http.request({ method: 'POST', url, body, headers, timeoutMs: 300_000 });
      if (res.status === 200) {
        const text = bodyText(res.data);
        if (text === undefined) throw badResponse(`${API} answered 200 without a TSV report`, res.status);
        return parseYandexReport(text, { name: `${API} report ${o.from}..${o.to}`, currency: o.currency });
      }
      if (res.status !== 201 && res.status !== 202) throw badResponse(`${API} answered HTTP ${res.status}; expected 200, 201 or 202`, res.status);
      const asked = headerSeconds(res.headers['retryin']);
      const ms = Math.min(o.poll.maxWaitMs, Math.max(o.poll.minWaitMs, asked ?? o.poll.defaultWaitMs));
      if (waited + ms > o.poll.totalWaitMs) {
        throw new AdApiError(
          'ad_api_report_timeout',
          `${API}: the report for ${o.from}..${o.to} is still being built after ${Math.round(waited / 1000)} s; try again later`,
          { platform: 'yandex_direct', status: res.status, retryable: true },
        );
      }
      deps.log?.info(
        { platform: 'yandex_direct', status: res.status, waitMs: ms, reportsInQueue: res.headers['reportsinqueue'] },
        res.status === 201 ? 'report queued offline' : 'report being built offline',
      );
      await sleep(ms, deps.signal);
      waited += ms;
    }
  });
}

/**
 * The report definition (https://yandex.ru/dev/direct/doc/ru/spec). The same object is sent on every
 * poll: a different ReportName would order a new report instead of asking about this one.
 */
function reportDefinition(o: Options) {
  const params = {
    SelectionCriteria: { DateFrom: o.from, DateTo: o.to },
    FieldNames: [...REPORT_FIELDS],
    OrderBy: [{ Field: 'Date' }],
    ReportType: 'CAMPAIGN_PERFORMANCE_REPORT',
    DateRangeType: 'CUSTOM_DATE',
    Format: 'TSV',
    IncludeVAT: o.includeVat ? 'YES' : 'NO',
  };
  return { params: { ...params, ReportName: o.reportName ?? reportName(o, params) } };
}

/**
 * Unique to this request and this fetch: a later fetch of the same days orders a fresh report instead of
 * being handed an offline one built hours ago, while the polls of this fetch share one name.
 */
function reportName(o: Options, params: object): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([params, o.clientLogin ?? '', Date.now()]))
    .digest('hex')
    .slice(0, 12);
  return `svodka spend ${o.from}..${o.to} ${digest}`;
}

function badResponse(message: string, status: number): AdApiError {
  return new AdApiError('ad_api_bad_response', message, { platform: 'yandex_direct', status });
}
