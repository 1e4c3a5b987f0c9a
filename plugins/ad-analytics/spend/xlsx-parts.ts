import { SaxesParser, type SaxesTagPlain } from 'saxes';

/** Element names without a namespace prefix: some writers emit <x:row>, most plain <row>. */
export const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Runs one XML document through saxes (synchronously), handing elements and text to the caller. */
export function walkXml(
  xml: Buffer,
  on: { open?: (tag: SaxesTagPlain) => void; close?: (name: string) => void; text?: (t: string) => void },
): void {
  const p = new SaxesParser({ xmlns: false });
  if (on.open) p.on('opentag', on.open);
  if (on.close) {
    const close = on.close;
    p.on('closetag', (tag) => close(local(tag.name)));
  }
  if (on.text) {
    p.on('text', on.text);
    p.on('cdata', on.text);
  }
  let text = xml.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  p.write(text).close();
}

export interface WorkbookInfo {
  sheets: { name: string; rid: string }[];
  date1904: boolean;
}

export function readWorkbook(xml: Buffer): WorkbookInfo {
  const info: WorkbookInfo = { sheets: [], date1904: false };
  walkXml(xml, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'workbookPr') {
        const v = tag.attributes.date1904;
        info.date1904 = v === '1' || v === 'true';
      } else if (name === 'sheet') {
        const rid = Object.entries(tag.attributes).find(([k]) => local(k) === 'id' && k !== 'sheetId')?.[1];
        if (rid) info.sheets.push({ name: tag.attributes.name ?? '', rid });
      }
    },
  });
  return info;
}

/** Relationship id → target part path, resolved against the folder of the part that owns the rels. */
export function readRels(xml: Buffer, baseDir: string): Map<string, string> {
  const rels = new Map<string, string>();
  walkXml(xml, {
    open(tag) {
      if (local(tag.name) !== 'Relationship') return;
      const { Id: id, Target: target } = tag.attributes;
      if (!id || !target) return;
      rels.set(id, resolvePart(baseDir, target));
    },
  });
  return rels;
}

function resolvePart(baseDir: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : `${baseDir}/${target}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

/** The shared strings table: rich-text runs joined, phonetic hints (rPh) left out. */
export function readSharedStrings(xml: Buffer): string[] {
  const out: string[] = [];
  let current = '';
  let inT = false;
  let phonetic = 0;
  walkXml(xml, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'si') current = '';
      else if (name === 'rPh') phonetic++;
      else if (name === 't' && phonetic === 0) inT = !tag.isSelfClosing;
    },
    close(name) {
      if (name === 'si') out.push(current);
      else if (name === 'rPh') phonetic--;
      else if (name === 't') inT = false;
    },
    text(t) {
      if (inT) current += t;
    },
  });
  return out;
}

// Built-in number formats that show a date: 14–22, 27–36, 45–47, 50–58 (ECMA-376 §18.8.30).
const BUILTIN_DATE = (id: number) => (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);

/** A custom format code shows a date when, outside quotes and brackets, it has d or y, or m without h or s. */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\.|_.|\*./g, '').toLowerCase();
  if (/[dy]/.test(bare)) return true;
  return /m/.test(bare) && !/[hs]/.test(bare);
}

/** For each cell style (the `s` of a cell), whether its number format shows a date. */
export function readDateStyles(xml: Buffer): boolean[] {
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  walkXml(xml, {
    open(tag) {
      const name = local(tag.name);
      if (name === 'numFmt') custom.set(Number(tag.attributes.numFmtId), tag.attributes.formatCode ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = Number(tag.attributes.numFmtId ?? 0);
        const code = custom.get(id);
        styles.push(code === undefined ? BUILTIN_DATE(id) : isDateFormat(code));
      }
    },
    close(name) {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return styles;
}
