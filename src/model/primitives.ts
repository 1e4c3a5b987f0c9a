import { z } from 'zod';

/**
 * SQL column types for the primitives below; the schema generator reads them. `plain` says, quickly,
 * that a value is valid and already in its parsed form (zod would return it unchanged); the store's
 * bulk path uses it and leaves everything else to zod (see plain.ts).
 */
export const sqlTypes = z.registry<{ sql: string; plain: (v: unknown) => boolean }>();

function sql<T extends z.ZodType>(schema: T, type: string, plain: (v: unknown) => boolean): T {
  sqlTypes.add(schema, { sql: type, plain });
  return schema;
}

const str = (v: unknown): v is string => typeof v === 'string';
const accountIdRe = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const decimalRe = /^-?\d{1,18}(\.\d{1,8})?$/;
const currencyRe = /^[A-Z]{3}$/;
const idLike = (v: unknown) => str(v) && v.length >= 1 && v.length <= 200;

/** One connected portal, amoCRM account or 1C base. */
export const accountId = sql(
  z.string().regex(accountIdRe, 'account id: lowercase letters, digits, ".", "_" or "-", up to 100'),
  'text',
  (v) => str(v) && accountIdRe.test(v),
);

/** The id an entity has in its source system (text, whatever the source uses). */
export const externalId = sql(z.string().min(1).max(200), 'text', idLike);

/** A reference to another entity's external id. */
export const ref = sql(z.string().min(1).max(200), 'text', idLike);

/** An exact decimal as a string: money and quantities never pass through a float. */
export const decimal = sql(
  z.string().regex(decimalRe, 'exact decimal such as "1234.50"'),
  'numeric',
  (v) => str(v) && decimalRe.test(v),
);

/** ISO 4217 code, upper case. */
export const currency = sql(
  z.string().regex(currencyRe, 'ISO 4217 currency code such as "RUB"'),
  'char(3)',
  (v) => str(v) && currencyRe.test(v),
);

const utcMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Already canonical: the exact form toISOString gives (so "2026-02-30", which Date.parse rolls over, is not). */
const canonicalInstant = (s: string) => {
  if (!utcMillis.test(s)) return false;
  const ms = Date.parse(s);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === s;
};
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Date.parse rolls "02-30" over into March; a calendar day that does not exist is refused instead. */
function realDay(s: string): boolean {
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(5, 7));
  const d = Number(s.slice(8, 10));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * A UTC instant as an ISO 8601 string with a Z suffix. Offsets are accepted and converted to UTC; a
 * time without a zone is refused (it would be read in some server's local time).
 */
export const instant = sql(
  z.string().transform((s, ctx) => {
    // The canonical form passes as it is: re-syncs of stored data take this path.
    if (canonicalInstant(s)) return s;
    const ms = isoInstant.test(s) && realDay(s) ? Date.parse(s) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.issues.push({ code: 'custom', message: 'ISO 8601 instant with a zone, such as "2026-01-31T09:00:00+03:00"', input: s });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  }),
  'timestamptz',
  (v) => str(v) && canonicalInstant(v),
);

/** A calendar day (ad spend is reported per day in the platform's time zone). */
const daySchema = z.iso.date();
export const day = sql(daySchema, 'date', (v) => daySchema.safeParse(v).success);

export const count = sql(z.int().min(0), 'bigint', (v) => Number.isSafeInteger(v) && (v as number) >= 0);
export const integer = sql(z.int(), 'bigint', (v) => Number.isSafeInteger(v));

export const text = sql(z.string().max(10_000), 'text', (v) => str(v) && v.length <= 10_000);
export const texts = sql(z.array(z.string().max(1_000)), 'text[]', (v) => Array.isArray(v) && v.every((x) => str(x) && x.length <= 1_000));

/** Free-form key/value data from the source (visitor ids, custom fields). */
export const attributes = sql(z.record(z.string(), z.string()), 'jsonb', (v) => {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every(str) && !Object.getOwnPropertySymbols(v).length;
});
