import { CellReader, isEmpty } from './cell-values.js';
import { currencyFromHeader, currencyFromValue } from './currency.js';
import { parseDay } from './dates.js';
import type { Detected } from './detect-format.js';
import { SpendFileError, type Problems } from './errors.js';
import { normalizeHeader, TOTAL_WORDS } from './layout.js';
import { KNOWN_PLATFORM_NAMES, platformFromName } from './platform-name.js';
import type { AdPlatform, ParseSpendOptions, SkippedLine, SpendUtm } from './schema.js';
import { isBlank, type Table, type TableRow } from './table.js';

/** One data line of the file, read and checked, before lines of the same campaign and day are summed. */
export interface SpendEntry {
  line: number;
  platform: AdPlatform;
  campaignId: string;
  campaignName: string;
  day: string;
  units: bigint;
  currency: string;
  clicks: number;
  impressions: number;
  utm?: SpendUtm;
}

const UTM_FIELDS = [
  ['utmSource', 'source'],
  ['utmMedium', 'medium'],
  ['utmCampaign', 'campaign'],
  ['utmContent', 'content'],
  ['utmTerm', 'term'],
] as const;

/** Reads every line below the header: entries for data lines, skipped for totals and notes, problems for bad cells. */
export function mapRows(table: Table, d: Detected, options: ParseSpendOptions, problems: Problems) {
  const { layout, columns: col, headers } = d;
  const headerCurrency = layout.currencyInHeader && col.cost !== undefined ? currencyFromHeader(headers[col.cost] ?? '') : undefined;
  if (headerCurrency && options.currency && headerCurrency !== options.currency) {
    throw new SpendFileError(
      'spend_currency_mismatch',
      `${options.fileName}: the column "${headers[col.cost ?? 0]}" is in ${headerCurrency}, but ${options.currency} was given`,
    );
  }
  const fileCurrency = headerCurrency ?? options.currency ?? 'RUB';
  const rows = table.rows.slice(d.headerIndex + 1);
  const micros = layout.cost === 'micros_or_amount' && looksLikeMicros(rows, col.cost);
  const entries: SpendEntry[] = [];
  const skipped: SkippedLine[] = [];
  const headerDate = normalizeHeader(headers[col.date ?? 0] ?? '');
  for (const row of rows) {
    if (isBlank(row)) continue;
    const joined = row.cells.map((c) => c.trim()).filter(Boolean).join(' ');
    if (layout.summaryLine?.test(joined)) {
      skipped.push({ line: row.line, reason: `summary line "${joined}"` });
      continue;
    }
    const dateCell = (row.cells[col.date ?? 0] ?? '').trim();
    const reason = parseDay(dateCell).ok
      ? subtotal(row, col.campaignName, col.campaignId)
      : passOver(row, col.date, [0, col.date, col.campaignName, col.campaignId], headerDate);
    if (reason) {
      skipped.push({ line: row.line, reason });
      continue;
    }
    const cells = new CellReader(row, headers, problems);
    const day = cells.day(col.date);
    const amount = cells.amount(col.cost, micros);
    const clicks = cells.count(col.clicks, 'clicks');
    const impressions = cells.count(col.impressions, 'impressions');
    const name = cells.text(col.campaignName, 10_000, 'the campaign name');
    const id = cells.text(col.campaignId, 200, 'the campaign id');
    if (!id && !name) cells.fail(col.campaignName ?? col.campaignId, 'the line names no campaign (neither id nor name)');
    let platform = layout.platform ?? options.platform ?? 'other';
    if (layout.platform === undefined && !isEmpty(cells.raw(col.platform))) {
      const named = platformFromName(cells.raw(col.platform));
      if (named) platform = named;
      else cells.fail(col.platform, `"${cells.raw(col.platform)}" is not a platform we know (${KNOWN_PLATFORM_NAMES})`);
    }
    let currency = fileCurrency;
    const currencyCell = cells.raw(col.currency);
    if (!isEmpty(currencyCell)) {
      const named = currencyFromValue(currencyCell);
      if (!named) cells.fail(col.currency, `"${currencyCell}" is not a currency code`);
      else if (headerCurrency && named !== headerCurrency) cells.fail(col.currency, `${named} differs from the ${headerCurrency} of the cost column`);
      else currency = named;
    }
    if (amount?.currency && amount.currency !== currency) {
      cells.fail(col.cost, `the amount is in ${amount.currency}, but the line is in ${currency}`);
    }
    const utm: SpendUtm = {};
    for (const [field, key] of UTM_FIELDS) {
      const v = cells.text(col[field], 1000, field);
      if (v) utm[key] = v;
    }
    if (cells.bad || day === undefined || amount === undefined || clicks === undefined || impressions === undefined) continue;
    const entry: SpendEntry = { line: row.line, platform, campaignId: id, campaignName: name, day, units: amount.units, currency, clicks, impressions };
    if (Object.keys(utm).length) entry.utm = utm;
    entries.push(entry);
  }
  return { entries, skipped, platformFixed: layout.platform };
}

/** Why a line whose date cell is not a date is no data line: a total, a note, a repeated header. */
function passOver(row: TableRow, dateCol: number | undefined, textCols: (number | undefined)[], headerDate: string): string | undefined {
  for (const c of textCols) {
    const cell = c === undefined ? '' : (row.cells[c] ?? '').trim();
    if (TOTAL_WORDS.test(cell)) return `total line "${cell}"`;
  }
  const filled = row.cells.map((c) => c.trim()).filter(Boolean);
  if (filled.length === 1) return `note line "${filled[0]}"`;
  const date = dateCol === undefined ? '' : normalizeHeader(row.cells[dateCol] ?? '');
  if (date !== '' && date === headerDate) return 'repeated header line';
  return undefined;
}

/** A day's subtotal: a dated line whose campaign is just "Итого" / "Всего" / "Total", with no campaign id. */
function subtotal(row: TableRow, nameCol: number | undefined, idCol: number | undefined): string | undefined {
  const name = nameCol === undefined ? '' : (row.cells[nameCol] ?? '').trim();
  const id = idCol === undefined ? '' : (row.cells[idCol] ?? '').trim();
  return id === '' && /^(итого|итог|всего|total)\s*:?$/iu.test(name) ? `total line "${name}"` : undefined;
}

/**
 * Whether a Reports API cost column is in micro-units: every value a whole number, rounded to 10,000
 * as the API rounds micros, and not all zero. Amounts asked for with returnMoneyInMicros: false have
 * decimals ("123.45") or are not multiples of 10,000.
 */
function looksLikeMicros(rows: TableRow[], costCol: number | undefined): boolean {
  if (costCol === undefined) return false;
  let nonZero = false;
  for (const row of rows) {
    const s = (row.cells[costCol] ?? '').trim();
    if (isEmpty(s)) continue;
    if (!/^\d+$/.test(s)) return false;
    const v = BigInt(s);
    if (v % 10_000n !== 0n) return false;
    if (v !== 0n) nonZero = true;
  }
  return nonZero;
}
