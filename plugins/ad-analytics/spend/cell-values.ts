import { parseDay } from './dates.js';
import type { Problems } from './errors.js';
import { parseAmount, parseCount, parseMicros, type Amount } from './money.js';
import type { TableRow } from './table.js';

/** Cells that mean "nothing here": Direct writes "--" (API) or "—" (web) for no value. */
export const PLACEHOLDER = /^(-|--|—|–|n\/a)$/iu;

export const isEmpty = (s: string): boolean => s.trim() === '' || PLACEHOLDER.test(s.trim());

/** Reads the cells of one data row, adding a problem for each bad one; a bad cell reads as undefined. */
export class CellReader {
  bad = false;

  constructor(
    private readonly row: TableRow,
    private readonly headers: string[],
    private readonly problems: Problems,
  ) {}

  raw(col: number | undefined): string {
    return col === undefined ? '' : (this.row.cells[col] ?? '').trim();
  }

  fail(col: number | undefined, message: string): undefined {
    this.bad = true;
    const column = col === undefined ? undefined : this.headers[col] || `#${col + 1}`;
    this.problems.add(column === undefined ? { line: this.row.line, message } : { line: this.row.line, column, message });
    return undefined;
  }

  text(col: number | undefined, max: number, what: string): string {
    const s = this.raw(col);
    if (isEmpty(s)) return '';
    if (s.length > max) return this.fail(col, `${what} is longer than ${max} characters`) ?? '';
    return s;
  }

  day(col: number | undefined): string | undefined {
    const s = this.raw(col);
    if (s === '') return this.fail(col, 'the date is empty');
    const r = parseDay(s);
    return r.ok ? r.value : this.fail(col, r.reason);
  }

  amount(col: number | undefined, micros: boolean): Amount | undefined {
    const s = this.raw(col);
    if (isEmpty(s)) return { units: 0n };
    const r = micros ? parseMicros(s) : parseAmount(s);
    return r.ok ? r.value : this.fail(col, `cost ${r.reason}`);
  }

  count(col: number | undefined, what: string): number | undefined {
    const s = this.raw(col);
    if (isEmpty(s)) return 0;
    const r = parseCount(s);
    return r.ok ? r.value : this.fail(col, `${what} ${r.reason}`);
  }
}
