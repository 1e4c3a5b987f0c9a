// Spaces 1C and Excel put between thousands: space, NBSP, thin and narrow no-break spaces, tabs.
const GAPS = /[\s\u00a0\u2009\u202f]+/g;
const DECIMAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** An exact decimal string from a 1C number ("1 234,50" → "1234.50"), or undefined if it is not one. */
export function toDecimal(raw: string): string | undefined {
  let s = raw;
  // Fast path: most values are already plain ("181", "30.5").
  if (!DECIMAL.test(s)) {
    s = s.replace(GAPS, '').replace(',', '.');
    if (!DECIMAL.test(s)) return undefined;
  }
  if (s.startsWith('+')) s = s.slice(1);
  if (s.startsWith('.')) s = `0${s}`;
  else if (s.startsWith('-.')) s = `-0${s.slice(1)}`;
  if (s.endsWith('.')) s = s.slice(0, -1);
  return s;
}
