const NUMBER = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/;
const SIGNIFICANT = 15;

/**
 * A number as a spreadsheet stores it ("1234.5599999999999", "1.5E-3") turned into the plain decimal
 * Excel shows: rounded to 15 significant digits, as Excel does, without an exponent or trailing
 * zeros. String arithmetic only. Undefined when the text is not a number.
 */
export function sheetNumberText(raw: string): string | undefined {
  const m = NUMBER.exec(raw.trim());
  if (!m) return undefined;
  const sign = m[1] === '-' ? '-' : '';
  const intDigits = m[2] ?? '';
  const fracDigits = m[3] ?? '';
  if (intDigits === '' && fracDigits === '') return undefined;
  const exp = Number(m[4] ?? '0');
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return undefined;
  let digits = intDigits + fracDigits;
  // Position of the decimal point within `digits`, counted from the left.
  let point = intDigits.length + exp;
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  point -= lead;
  if (digits === '') return '0';
  if (digits.length > SIGNIFICANT) {
    const roundUp = (digits.charCodeAt(SIGNIFICANT) - 48) >= 5;
    let kept = digits.slice(0, SIGNIFICANT);
    if (roundUp) {
      const bumped = (BigInt(kept) + 1n).toString();
      if (bumped.length > kept.length) point++;
      kept = bumped.slice(0, SIGNIFICANT);
    }
    digits = kept;
  }
  digits = digits.replace(/0+$/, '');
  if (digits === '') return '0';
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}
