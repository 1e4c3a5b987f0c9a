import { z } from 'zod';

/**
 * Readers of Bitrix24's value formats. The portal mixes numbers and numeric strings for the same field,
 * writes flags as "Y"/"N", empties as "", null or 0, and dates as ISO 8601 with the portal's offset.
 */

/** An id as a string; "123" and 123 are the same id. */
export const id = z.union([z.int().nonnegative(), z.string().regex(/^\d+$/, 'a numeric id')]).transform(String);

/** A reference that Bitrix24 leaves as 0, "0", "" or null when there is none. */
export const optionalId = z
  .union([z.int().nonnegative(), z.string().regex(/^\d*$/, 'a numeric id'), z.null()])
  .optional()
  .transform((v) => (v === undefined || v === null || v === '' || Number(v) === 0 ? undefined : String(v)));

/** "Y"/"N" (and true/false, as user.get writes ACTIVE). */
export const flag = z.union([z.enum(['Y', 'N']), z.boolean()]).transform((v) => v === true || v === 'Y');

/** A date-time as the portal wrote it (offset kept; the model turns it into UTC), or undefined when empty. */
export const when = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v ? v : undefined));

/** A date-time that must be there. */
export const requiredWhen = z.string().min(1);

const decimalText = /^-?\d+(\.\d+)?$/;

/**
 * An amount as an exact decimal string. JSON numbers are read back through their shortest decimal form
 * (999.9 stays "999.9"), never summed as floats; "1 000,50" and such are refused rather than guessed.
 */
export const money = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === '') return undefined;
    const text = typeof v === 'number' ? numberText(v) : v.trim();
    if (text === undefined || !decimalText.test(text)) {
      ctx.addIssue({ code: 'custom', message: `not an amount: ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return text;
  });

function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  const s = String(n);
  if (!/e/i.test(s)) return s;
  // Exponent notation only for very small or very large values: spell it out exactly.
  return Math.abs(n) < 1 ? n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '') : BigInt(Math.round(n)).toString();
}

/** A text that may be null or missing. */
export const optionalText = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v ? v : undefined));

/** A currency code, "" when the portal has none set. */
export const currencyCode = z
  .union([z.string(), z.null()])
  .optional()
  .transform((v) => (v ? v.toUpperCase() : undefined));

/** Joins non-empty name parts. */
export function fullName(...parts: (string | null | undefined)[]): string {
  return parts.filter((p) => p && p.trim()).join(' ').trim();
}
