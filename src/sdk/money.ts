/**
 * Exact money: decimal strings (the model's grammar) to integer units and kopecks, rounded half away
 * from zero, and back. Plugins and the core share these; nothing here is ever a float sum.
 */

/** The model's decimal grammar (src/model/primitives.ts). */
const DECIMAL = /^(-?)(\d{1,18})(?:\.(\d{1,8}))?$/;

/** value = units / scale, scale a power of ten. */
export interface Exact {
  units: bigint;
  scale: bigint;
}

export function parseMoney(text: string, what: string): Exact {
  const m = DECIMAL.exec(text);
  if (!m) {
    throw new RangeError(`${what} must be an exact decimal string such as "12345.67", got ${JSON.stringify(text)}`);
  }
  const fraction = m[3] ?? '';
  const units = BigInt(`${m[2] ?? ''}${fraction}`);
  return { units: m[1] ? -units : units, scale: 10n ** BigInt(fraction.length) };
}

/** num / den (den > 0) to an integer, halves away from zero: the "half-up" accountants mean, also for refunds. */
export function roundHalfUp(num: bigint, den: bigint): bigint {
  const q = num / den; // BigInt division truncates toward zero; the remainder takes num's sign
  const r = num % den;
  if (2n * (r < 0n ? -r : r) < den) return q;
  return num < 0n ? q - 1n : q + 1n;
}

export function formatKopecks(kopecks: bigint): string {
  const abs = kopecks < 0n ? -kopecks : kopecks;
  const text = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return kopecks < 0n ? `-${text}` : text;
}

/** An exact decimal string in kopecks, rounded half up past the second decimal. */
export function kopecksOf(text: string, what = 'amount'): bigint {
  const m = parseMoney(text, what);
  return roundHalfUp(m.units * 100n, m.scale);
}

/** kopecks / n, rounded half up: a share of an amount, still exact. */
export const divideKopecks = (kopecks: bigint, n: number): bigint => roundHalfUp(kopecks, BigInt(n));
