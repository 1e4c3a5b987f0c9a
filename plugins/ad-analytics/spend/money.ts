import { currencyFromValue } from './currency.js';

/** Amounts are held as integers of 1e-8 currency units (the model's decimals allow 8 places). */
export const SCALE_DIGITS = 8;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const MAX_INT_DIGITS = 18;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Amount {
  units: bigint;
  /** The currency the cell itself names ("1 234,56 ₽"), if any. */
  currency?: string;
}

// Spaces Excel, 1C and the ad platforms put between thousands: space, NBSP, thin and narrow NBSP.
const GAP = /[ \u00a0\u2007\u2009\u202f]/g;
const LEAD = /^(₽|\$|€|₸|₴|руб\.?|р\.|[A-Z]{3})\s*/iu;
const TRAIL = /\s*(₽|\$|€|₸|₴|руб\.?|р\.|[A-Z]{3})$/iu;

/**
 * An exact amount from the ways reports write money: "1 234,56", "1234.56", "1 234.5", "12,3",
 * "1,234.56", "1.234,56", optionally with a currency sign. Never through a float.
 * One comma alone is a decimal comma (the Russian convention): "1,234" is 1.234.
 */
export function parseAmount(raw: string): Parsed<Amount> {
  let s = raw.trim();
  let currency: string | undefined;
  for (const re of [LEAD, TRAIL]) {
    const m = re.exec(s);
    if (!m?.[1]) continue;
    const code = currencyFromValue(m[1]);
    if (code === undefined) return { ok: false, reason: `"${raw}" is not an amount` };
    currency = code;
    s = s.replace(re, '');
  }
  if (/^[-−–(]/.test(s)) return { ok: false, reason: `"${raw}" is negative; spend cannot be` };
  if (s.startsWith('+')) s = s.slice(1);
  if (!/^[\d.,]+$/.test(s.replace(GAP, '')) || !/\d/.test(s)) return { ok: false, reason: `"${raw}" is not a number` };
  const commas = count(s, ',');
  const dots = count(s, '.');
  let decimalSep: string | undefined;
  let groupSep: string | undefined;
  if (commas > 0 && dots > 0) {
    decimalSep = s.lastIndexOf(',') > s.lastIndexOf('.') ? ',' : '.';
    groupSep = decimalSep === ',' ? '.' : ',';
    if (count(s, decimalSep) > 1) return { ok: false, reason: `"${raw}" has more than one decimal separator` };
  } else if (commas + dots === 1) {
    decimalSep = commas ? ',' : '.';
  } else if (commas + dots > 1) {
    groupSep = commas ? ',' : '.';
  }
  const cut = decimalSep === undefined ? -1 : s.lastIndexOf(decimalSep);
  const intPart = cut < 0 ? s : s.slice(0, cut);
  const fracPart = cut < 0 ? '' : s.slice(cut + 1);
  if (!/^\d*$/.test(fracPart)) return { ok: false, reason: `"${raw}" is not a number` };
  const groups = intPart.split(groupSep === undefined ? GAP : new RegExp(`[ \\u00a0\\u2007\\u2009\\u202f${groupSep === '.' ? '\\.' : ','}]`));
  if (groups.length > 1 && !groups.every((g, i) => (i === 0 ? /^\d{1,3}$/.test(g) : /^\d{3}$/.test(g)))) {
    return { ok: false, reason: `"${raw}" is not a number (digit groups do not match thousands)` };
  }
  const digits = groups.join('').replace(/^0+(?=\d)/, '') || '0';
  if (!/^\d+$/.test(digits)) return { ok: false, reason: `"${raw}" is not a number` };
  if (digits.length > MAX_INT_DIGITS) return { ok: false, reason: `"${raw}" is too large` };
  if (fracPart.length > SCALE_DIGITS) return { ok: false, reason: `"${raw}" has more than ${SCALE_DIGITS} decimal places` };
  const units = BigInt(digits) * SCALE + BigInt(fracPart.padEnd(SCALE_DIGITS, '0'));
  return { ok: true, value: currency === undefined ? { units } : { units, currency } };
}

/** Yandex Direct's default money: an integer of currency units × 1,000,000. */
export function parseMicros(raw: string): Parsed<Amount> {
  const s = raw.trim();
  if (!/^\d+$/.test(s)) return { ok: false, reason: `"${raw}" is not a whole number of micro-units` };
  if (s.replace(/^0+/, '').length > MAX_INT_DIGITS + 6) return { ok: false, reason: `"${raw}" is too large` };
  return { ok: true, value: { units: BigInt(s) * (SCALE / 1_000_000n) } };
}

/** "1234.5" style text with at least two decimal places: 1234.50, 0.00, 12.345678. */
export function formatUnits(units: bigint): string {
  const int = units / SCALE;
  const frac = (units % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${int}.${frac}`;
}

export function fitsModel(units: bigint): boolean {
  return (units / SCALE).toString().length <= MAX_INT_DIGITS;
}

/** A whole count such as clicks or impressions: "1 234", "1234", "1,234" (grouped thousands). */
export function parseCount(raw: string): Parsed<number> {
  const s = raw.trim();
  const grouped = /^\d{1,3}([ \u00a0\u2007\u2009\u202f,.]\d{3})+$/.test(s) && new Set(s.replace(/\d/g, '')).size === 1;
  if (!/^\d+$/.test(s) && !grouped) return { ok: false, reason: `"${raw}" is not a whole non-negative number` };
  const n = Number(s.replace(/\D/g, ''));
  if (!Number.isSafeInteger(n)) return { ok: false, reason: `"${raw}" is too large` };
  return { ok: true, value: n };
}

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}
