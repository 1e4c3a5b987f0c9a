import { z } from 'zod';
import { accountId, externalId } from './primitives.js';

/** Fields every record carries: whose it is and what the source calls it. */
export const recordBase = {
  accountId,
  externalId,
};

export interface EntityDef<S extends z.ZodObject = z.ZodObject> {
  /** Plural, snake_case: also the table name. */
  name: string;
  schema: S;
  /** The field holding the source's own modification time, used to refuse older copies. */
  updatedAt?: string;
  /** Fields that get an (account, field) index: what plugins filter and join on. */
  indexes: string[];
}

export function defineEntity<const N extends string, F extends z.ZodRawShape>(
  name: N,
  fields: F,
  options: { updatedAt?: keyof F & string; indexes?: (keyof F & string)[] } = {},
) {
  const schema = z.strictObject({ ...recordBase, ...fields });
  const def: EntityDef<typeof schema> & { name: N } = { name, schema, indexes: options.indexes ?? [] };
  if (options.updatedAt) def.updatedAt = options.updatedAt;
  return def;
}
