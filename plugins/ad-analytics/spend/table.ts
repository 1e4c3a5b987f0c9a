/** One line of a text file or one row of a sheet, as cells of text. */
export interface TableRow {
  /** 1-based: the line a CSV record starts on, or the spreadsheet row number. */
  line: number;
  cells: string[];
}

export type Container = 'csv' | 'tsv' | 'xlsx';

/** A file read into rows of text cells, before anything is known of its layout. */
export interface Table {
  rows: TableRow[];
  container: Container;
  /** Sheet name, for spreadsheets. */
  sheet?: string;
}

/** Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Spreadsheet column index from a cell reference such as "AB12" (0-based), or undefined. */
export function columnIndex(ref: string): number | undefined {
  const m = /^([A-Z]{1,3})\d*$/.exec(ref.toUpperCase());
  if (!m?.[1]) return undefined;
  let n = 0;
  for (const ch of m[1]) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function isBlank(row: TableRow): boolean {
  return row.cells.every((c) => c.trim() === '');
}
