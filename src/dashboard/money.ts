/** Exact decimal strings ("1234.5", "-0.07") to kopecks and back: money is never summed as floats. */
export function kopecks(v: string | number | null | undefined): bigint {
  if (v === null || v === undefined || v === '') return 0n;
  const s = typeof v === 'number' ? v.toFixed(2) : v.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(v)}`);
  const frac = (m[3] ?? '').padEnd(3, '0');
  // Half away from zero at the third digit, as the plugins round.
  let k = BigInt(m[2]!) * 100n + BigInt(frac.slice(0, 2)) + (Number(frac[2]) >= 5 ? 1n : 0n);
  if (m[1] && k !== 0n) k = -k;
  return k;
}

export function decimal(k: bigint): string {
  const neg = k < 0n;
  const a = neg ? -k : k;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

/** a / b rounded to `digits`, or null when b is zero. */
export function ratio(a: bigint, b: bigint, digits = 4): number | null {
  if (b === 0n) return null;
  return Math.round((Number(a) / Number(b)) * 10 ** digits) / 10 ** digits;
}
