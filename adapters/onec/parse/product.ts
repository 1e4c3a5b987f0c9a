import { attr, clean, isDeletedStatus, type Attrs } from './attrs.js';
import type { CmlProduct } from './types.js';

const ID = 1;
const NAME = 2;
const ARTICLE = 3;
const BARCODE = 4;
const UNIT = 5;
const MARK = 6;
const STATUS = 7;
const GROUP = 8;

const FIELDS: Record<string, number> = {
  Ид: ID,
  Наименование: NAME,
  Артикул: ARTICLE,
  Штрихкод: BARCODE,
  БазоваяЕдиница: UNIT,
  ПометкаУдаления: MARK,
  Статус: STATUS,
};

/** Builds one Каталог/Товары/Товар from its direct children and Группы/Ид; ignores the rest. */
export class ProductBuilder {
  private p: CmlProduct = { id: '', name: '', deleted: false, groupIds: [] };
  private unitAttr: string | undefined;

  start(attrs: Attrs): void {
    this.p = { id: '', name: '', deleted: isDeletedStatus(attr(attrs, 'Статус')), groupIds: [] };
    this.unitAttr = undefined;
  }

  /** The field code to capture for a child element `rel` levels below the product, or 0. */
  open(name: string, rel: number, parent: string | undefined, attrs: Attrs): number {
    if (rel === 1) {
      const f = FIELDS[name] ?? 0;
      if (f === UNIT) this.unitAttr = clean(attr(attrs, 'НаименованиеПолное')) ?? clean(attr(attrs, 'Код'));
      return f;
    }
    return rel === 2 && name === 'Ид' && parent === 'Группы' ? GROUP : 0;
  }

  set(field: number, text: string): void {
    const p = this.p;
    const value = clean(text);
    if (field === ID) p.id = value ?? '';
    else if (field === NAME) p.name = value ?? '';
    else if (field === ARTICLE) setOpt(p, 'article', value);
    else if (field === BARCODE) p.barcode ??= value;
    else if (field === UNIT) setOpt(p, 'unit', value);
    else if (field === MARK) p.deleted ||= value?.toLowerCase() === 'true';
    else if (field === STATUS) p.deleted ||= isDeletedStatus(value);
    else if (field === GROUP && value) p.groupIds.push(value);
  }

  finish(): CmlProduct {
    const p = this.p;
    if (p.unit === undefined && this.unitAttr !== undefined) p.unit = this.unitAttr;
    if (p.barcode === undefined) delete p.barcode;
    return p;
  }
}

function setOpt(p: CmlProduct, key: 'article' | 'unit', value: string | undefined): void {
  if (value === undefined) delete p[key];
  else p[key] = value;
}
