import type { Lang } from '../session.js';

const locale = (l: Lang) => (l === 'ru' ? 'ru-RU' : 'en-GB');
const cache = new Map<string, Intl.NumberFormat>();
const nf = (key: string, l: Lang, o: Intl.NumberFormatOptions) => {
  const k = `${key}|${l}`;
  let f = cache.get(k);
  if (!f) cache.set(k, (f = new Intl.NumberFormat(locale(l), o)));
  return f;
};

/** Money from an exact decimal string: "1234567.89" -> "1 234 567,89 ₽" (Intl formats the string exactly). */
export function money(v: string | number | null | undefined, l: Lang, currency = 'RUB'): string {
  if (v === null || v === undefined || v === '') return '—';
  return nf(`money-${currency}`, l, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(String(v) as unknown as number);
}

/** Whole roubles (forecast figures are rounded to them). */
export function roubles(v: number | null | undefined, l: Lang): string {
  if (v === null || v === undefined) return '—';
  return nf('rub0', l, { style: 'currency', currency: 'RUB', maximumFractionDigits: 0 }).format(v);
}

export function num(v: number | null | undefined, l: Lang, digits = 2): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return nf(`n${digits}`, l, { maximumFractionDigits: digits }).format(v);
}

export function percent(v: number | null | undefined, l: Lang): string {
  if (v === null || v === undefined) return '—';
  return nf('pct', l, { style: 'percent', maximumFractionDigits: 1 }).format(v);
}

export function when(iso: string | null | undefined, l: Lang): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(l), { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Moscow' }).format(new Date(iso));
}
