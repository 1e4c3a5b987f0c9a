import { clean } from './attrs.js';
import type { CmlItem } from './types.js';

const ID = 1;
const NAME = 2;
const CURRENCY = 3;

/** Builds a ТипыЦен/ТипЦены or a Склады/Склад from its direct children. */
export class RefBuilder {
  private id = '';
  private name = '';
  private currency: string | undefined;
  private isWarehouse = false;

  start(isWarehouse: boolean): void {
    this.isWarehouse = isWarehouse;
    this.id = this.name = '';
    this.currency = undefined;
  }

  open(name: string, rel: number): number {
    if (rel !== 1) return 0;
    if (name === 'Ид') return ID;
    if (name === 'Наименование') return NAME;
    return name === 'Валюта' && !this.isWarehouse ? CURRENCY : 0;
  }

  set(field: number, text: string): void {
    if (field === ID) this.id = text.trim();
    else if (field === NAME) this.name = text.trim();
    else if (field === CURRENCY) this.currency = clean(text);
  }

  /** The item, or undefined when it has no Ид. */
  finish(): Extract<CmlItem, { type: 'priceType' | 'warehouse' }> | undefined {
    const { id, name, currency } = this;
    if (!id) return undefined;
    if (this.isWarehouse) return { type: 'warehouse', warehouse: { id, name } };
    return { type: 'priceType', priceType: currency === undefined ? { id, name } : { id, name, currency } };
  }
}
