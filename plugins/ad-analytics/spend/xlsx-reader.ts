import { serialToDay } from './dates.js';
import { SpendFileError } from './errors.js';
import { columnIndex, type Table, type TableRow } from './table.js';
import { local, readDateStyles, readRels, readSharedStrings, readWorkbook, walkXml } from './xlsx-parts.js';
import { sheetNumberText } from './xlsx-number.js';
import { ZipError, ZipReader } from './zip-reader.js';

const MAX_COLUMNS = 1000;

/**
 * The sheets of an XLSX workbook, in workbook order, as rows of text cells. Dates (numbers in a date
 * format) become YYYY-MM-DD; other numbers the decimal Excel shows; formulas their cached result.
 */
export function readXlsx(bytes: Buffer, fileName: string): Table[] {
  try {
    const zip = new ZipReader(bytes);
    const workbookXml = zip.read('xl/workbook.xml');
    if (!workbookXml) throw new ZipError('it has no xl/workbook.xml: not an XLSX workbook');
    const workbook = readWorkbook(workbookXml);
    const relsXml = zip.read('xl/_rels/workbook.xml.rels');
    const rels = relsXml ? readRels(relsXml, 'xl') : new Map<string, string>();
    const sharedXml = zip.read('xl/sharedStrings.xml');
    const shared = sharedXml ? readSharedStrings(sharedXml) : [];
    const stylesXml = zip.read('xl/styles.xml');
    const dateStyles = stylesXml ? readDateStyles(stylesXml) : [];
    const tables: Table[] = [];
    for (const sheet of workbook.sheets) {
      const path = rels.get(sheet.rid);
      const xml = path ? zip.read(path) : undefined;
      if (!xml) continue;
      const rows = readSheet(xml, { shared, dateStyles, date1904: workbook.date1904 });
      tables.push({ rows, container: 'xlsx', sheet: sheet.name });
    }
    if (tables.length === 0) throw new ZipError('the workbook has no worksheets');
    return tables;
  } catch (e) {
    if (e instanceof SpendFileError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new SpendFileError('spend_bad_file', `${fileName}: cannot read the XLSX file: ${why}`, [{ line: 1, message: why }]);
  }
}

interface SheetContext {
  shared: string[];
  dateStyles: boolean[];
  date1904: boolean;
}

function readSheet(xml: Buffer, ctx: SheetContext): TableRow[] {
  const rows: TableRow[] = [];
  let row: TableRow | undefined;
  let col = -1;
  let cellType = '';
  let cellStyle = 0;
  let value = '';
  let inline = '';
  let into: 'v' | 't' | '' = '';
  let phonetic = 0;
  walkXml(xml, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'row') {
        const r = Number(tag.attributes.r);
        row = { line: Number.isSafeInteger(r) && r > 0 ? r : (rows.at(-1)?.line ?? 0) + 1, cells: [] };
        col = -1;
      } else if (name === 'c') {
        const ref = tag.attributes.r;
        const at = ref === undefined ? undefined : columnIndex(ref);
        col = at ?? col + 1;
        cellType = tag.attributes.t ?? 'n';
        cellStyle = Number(tag.attributes.s ?? 0);
        value = '';
        inline = '';
      } else if (name === 'v') into = 'v';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) into = 't';
    },
    close(name) {
      if (name === 'v' || name === 't') into = '';
      else if (name === 'rPh') phonetic--;
      else if (name === 'c' && row && col >= 0 && col < MAX_COLUMNS) {
        const text = cellText(cellType, value, inline, cellStyle, ctx);
        while (row.cells.length < col) row.cells.push('');
        row.cells[col] = text;
      } else if (name === 'row' && row) {
        rows.push(row);
        row = undefined;
      }
    },
    text(t) {
      if (into === 'v') value += t;
      else if (into === 't') inline += t;
    },
  });
  return rows;
}

function cellText(type: string, v: string, inline: string, style: number, ctx: SheetContext): string {
  switch (type) {
    case 's':
      return ctx.shared[Number(v)] ?? '';
    case 'inlineStr':
      return inline;
    case 'str':
    case 'e':
      return v;
    case 'b':
      return v === '1' ? 'TRUE' : 'FALSE';
    case 'd':
      return /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : v;
    default: {
      if (v === '') return '';
      if (ctx.dateStyles[style]) {
        const day = serialToDay(Number(v), ctx.date1904);
        if (day !== undefined) return day;
      }
      return sheetNumberText(v) ?? v;
    }
  }
}
