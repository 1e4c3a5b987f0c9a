import { z } from 'zod';

/** SQL column types for the primitives below; the schema generator reads them. */
export const sqlTypes = z.registry<{ sql: string }>();

function sql<T extends z.ZodType>(schema: T, type: string): T {
  sqlTypes.add(schema, { sql: type });
  return schema;
}

/** One connected portal, amoCRM account or 1C base. */
export const accountId = sql(
  z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'account id: lowercase letters, digits, ".", "_" or "-", up to 100'),
  'text',
);

/** The id an entity has in its source system (text, whatever the source uses). */
export const externalId = sql(z.string().min(1).max(200), 'text');

/** A reference to another entity's external id. */
export const ref = sql(z.string().min(1).max(200), 'text');

/** An exact decimal as a string: money and quantities never pass through a float. */
export const decimal = sql(
  z.string().regex(/^-?\d{1,18}(\.\d{1,8})?$/, 'exact decimal such as "1234.50"'),
  'numeric',
);

/** ISO 4217 code, upper case. */
export const currency = sql(z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 currency code such as "RUB"'), 'char(3)');

const utcMillis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * A UTC instant as an ISO 8601 string with a Z suffix. Offsets are accepted and converted to UTC; a
 * time without a zone is refused (it would be read in some server's local time).
 */
export const instant = sql(
  z.string().transform((s, ctx) => {
    // The canonical form passes as it is: re-syncs of stored data take this path.
    if (utcMillis.test(s) && !Number.isNaN(Date.parse(s))) return s;
    const ms = isoInstant.test(s) ? Date.parse(s) : Number.NaN;
    if (Number.isNaN(ms)) {
      ctx.issues.push({ code: 'custom', message: 'ISO 8601 instant with a zone, such as "2026-01-31T09:00:00+03:00"', input: s });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  }),
  'timestamptz',
);

/** A calendar day (ad spend is reported per day in the platform's time zone). */
export const day = sql(z.iso.date(), 'date');

export const count = sql(z.int().min(0), 'bigint');
export const integer = sql(z.int(), 'bigint');

export const text = sql(z.string().max(10_000), 'text');
export const texts = sql(z.array(z.string().max(1_000)), 'text[]');

/** Free-form key/value data from the source (visitor ids, custom fields). */
export const attributes = sql(z.record(z.string(), z.string()), 'jsonb');
