import { formatKopecks, kopecksOf } from '../sdk/money.js';

/** An exact decimal string (or a rouble figure already rounded) in kopecks; empty is zero. */
export function kopecks(v: string | number | null | undefined): bigint {
  if (v === null || v === undefined || v === '') return 0n;
  try {
    return kopecksOf(typeof v === 'number' ? v.toFixed(2) : v.trim());
  } catch {
    throw new Error(`not a decimal amount: ${JSON.stringify(v)}`);
  }
}

export const decimal = formatKopecks;

/** a / b rounded to `digits`, or null when b is zero. */
export function ratio(a: bigint, b: bigint, digits = 4): number | null {
  if (b === 0n) return null;
  return Math.round((Number(a) / Number(b)) * 10 ** digits) / 10 ** digits;
}
