import { aggregate } from '../aggregate.js';
import { CellReader } from '../cell-values.js';
import { parseCsv } from '../csv-reader.js';
import { Problems, SpendFileError } from '../errors.js';
import { yandexApiLayout } from '../layout-yandex-api.js';
import type { SpendEntry } from '../map-rows.js';
import { spendImport, type SkippedLine, type SpendImport } from '../schema.js';
import { isBlank } from '../table.js';

/** The fields the client asks for, in this order; the report's header names them. */
export const REPORT_FIELDS = ['Date', 'CampaignId', 'CampaignName', 'Impressions', 'Clicks', 'Cost'] as const;
type Field = (typeof REPORT_FIELDS)[number];

/**
 * A Reports API TSV body, asked for with money in micro-units (no returnMoneyInMicros header), into
 * the same rows a report file gives. Unlike a file, the money mode is known, so Cost is read as
 * micro-units without guessing. Every bad cell is listed and refuses the whole report.
 */
export function parseYandexReport(text: string, o: { name: string; currency: string }): SpendImport {
  const table = parseCsv(text, '\t', o.name);
  // The header is the first line (skipReportHeader: true); the name line is put up with should it come anyway.
  const headerIndex = table.slice(0, 2).findIndex((r) => r.cells.includes('Date') && r.cells.includes('Cost'));
  const header = table[headerIndex];
  if (!header) {
    throw new SpendFileError('spend_missing_column', `${o.name}: the report has no header line naming ${REPORT_FIELDS.join(', ')}`);
  }
  const headers = header.cells.map((c) => c.trim());
  const col = Object.fromEntries(REPORT_FIELDS.map((f) => [f, headers.indexOf(f)])) as Record<Field, number>;
  const missing = REPORT_FIELDS.filter((f) => col[f] < 0);
  if (missing.length) throw new SpendFileError('spend_missing_column', `${o.name}: the report has no ${missing.join(', ')} column`);
  const problems = new Problems();
  const entries: SpendEntry[] = [];
  const skipped: SkippedLine[] = [];
  for (const row of table.slice(headerIndex + 1)) {
    if (isBlank(row)) continue;
    const joined = row.cells.map((c) => c.trim()).join(' ').trim();
    if (yandexApiLayout.summaryLine?.test(joined)) {
      skipped.push({ line: row.line, reason: `summary line "${joined}"` });
      continue;
    }
    const cells = new CellReader(row, headers, problems);
    const day = cells.day(col.Date);
    const amount = cells.amount(col.Cost, true);
    const clicks = cells.count(col.Clicks, 'clicks');
    const impressions = cells.count(col.Impressions, 'impressions');
    const campaignId = cells.text(col.CampaignId, 200, 'the campaign id');
    const campaignName = cells.text(col.CampaignName, 10_000, 'the campaign name');
    if (!campaignId) cells.fail(col.CampaignId, 'the line has no campaign id');
    if (cells.bad || day === undefined || amount === undefined || clicks === undefined || impressions === undefined) continue;
    entries.push({ line: row.line, platform: 'yandex_direct', campaignId, campaignName, day, units: amount.units, currency: o.currency, clicks, impressions });
  }
  const { rows, campaigns } = aggregate(entries, problems);
  problems.throwIfAny(o.name);
  return spendImport.parse({ platform: 'yandex_direct', format: 'yandex_direct_api_report', rows, campaigns, skipped });
}
