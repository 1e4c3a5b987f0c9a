import { SpendFileError } from './errors.js';
import type { TableRow } from './table.js';

export type Separator = '\t' | ';' | ',';
const SEPARATORS: Separator[] = ['\t', ';', ','];
const SNIFF_CHARS = 64 * 1024;

/**
 * The separators worth trying, the likeliest first: by how often each occurs outside quotes in the
 * beginning of the text. Only separators that occur at all are returned (all three when none does).
 */
export function separatorCandidates(text: string): Separator[] {
  // Excel's own hint on the first line: "sep=;".
  const hint = /^sep=(.)\r?\n/i.exec(text)?.[1];
  if (hint === '\t' || hint === ';' || hint === ',') return [hint];
  const counts = new Map<Separator, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  const end = Math.min(text.length, SNIFF_CHARS);
  for (let i = 0; i < end; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\t' || c === ';' || c === ',')) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const found = SEPARATORS.filter((s) => (counts.get(s) ?? 0) > 0);
  found.sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0));
  return found.length ? found : [...SEPARATORS];
}

/**
 * RFC 4180 records: fields in double quotes may hold the separator, line breaks and doubled quotes.
 * Lines may end in CRLF, LF or CR. A quote inside an unquoted field is kept as text, as Excel does.
 */
export function parseCsv(text: string, sep: Separator, fileName: string): TableRow[] {
  const rows: TableRow[] = [];
  let cells: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let quoteLine = 0;
  let atFieldStart = true;
  let fieldStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        const next = text[i + 1];
        if (next === '"') {
          field += '"';
          i++;
        } else if (next === undefined || next === sep || next === '\n' || next === '\r') {
          quoted = false;
        } else {
          // Not a quoted field after all ("Весна" 2026, as the Reports API writes names): keep it as it stands.
          quoted = false;
          field = text.slice(fieldStart, i + 1);
        }
      } else {
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      fieldStart = i;
      quoteLine = line;
      atFieldStart = false;
    } else if (c === sep) {
      cells.push(field);
      field = '';
      atFieldStart = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      cells.push(field);
      rows.push({ line: start, cells });
      cells = [];
      field = '';
      atFieldStart = true;
      line++;
      start = line;
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (quoted) {
    throw new SpendFileError('spend_bad_file', `${fileName}: line ${quoteLine}: a quoted field is never closed`, [
      { line: quoteLine, message: 'a quoted field is never closed' },
    ]);
  }
  if (field !== '' || cells.length > 0) {
    cells.push(field);
    rows.push({ line: start, cells });
  }
  return rows;
}
