import { stringify } from 'csv-stringify/sync';
import type { Table } from '../store/schema.js';

export interface CsvOptions {
  /** ';' is what Excel expects in Russian locales; decimals then use a comma too. */
  delimiter: ',' | ';';
}

/** Text a spreadsheet would run as a formula (CSV injection) gets a leading quote. */
const formulaStart = /^[=+\-@\t\r]/;

export function csvHeader(table: Table, options: CsvOptions): string {
  // The BOM makes Excel read the file as UTF-8 (Cyrillic intact); CRLF is what it writes itself.
  return `\uFEFF${stringify([['externalId', ...table.columns.map((c) => c.field)]], { delimiter: options.delimiter, record_delimiter: 'windows' })}`;
}

export function csvRows(table: Table, records: Record<string, unknown>[], options: CsvOptions): string {
  const rows = records.map((r) => [
    String(r.externalId),
    ...table.columns.map((c) => cell(r[c.field], c.type, options)),
  ]);
  return stringify(rows, { delimiter: options.delimiter, record_delimiter: 'windows', quoted_match: /[\s"]/ });
}

function cell(v: unknown, type: string, options: CsvOptions): string {
  if (v === undefined || v === null) return '';
  if (type === 'numeric') return options.delimiter === ';' ? String(v).replace('.', ',') : String(v);
  if (Array.isArray(v)) return guard(v.join(', '));
  if (typeof v === 'object') return JSON.stringify(v);
  if (typeof v === 'string') return guard(v);
  return String(v);
}

const guard = (s: string): string => (formulaStart.test(s) ? `'${s}` : s);
