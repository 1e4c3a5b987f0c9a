import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { entities } from '../../src/model/index.js';
import { generateSchemaSql, tables } from '../../src/store/schema.js';

describe('schema derived from the model', () => {
  it('the committed schema.generated.sql is what the model generates (run `npm run generate`)', () => {
    const committed = readFileSync(new URL('../../src/store/schema.generated.sql', import.meta.url), 'utf8');
    expect(committed).toBe(generateSchemaSql());
  });

  it('has a table for every entity, a column for every field, money as numeric and instants as timestamptz', () => {
    for (const [name, def] of Object.entries(entities)) {
      const fields = Object.keys(def.schema.shape).filter((f) => f !== 'accountId' && f !== 'externalId');
      expect(tables[name as keyof typeof tables].columns.map((c) => c.field)).toEqual(fields);
    }
    const col = (t: keyof typeof tables, f: string) => tables[t].columns.find((c) => c.field === f);
    expect(col('deals', 'amount')).toMatchObject({ type: 'numeric', nullable: false });
    expect(col('deals', 'closedAt')).toMatchObject({ type: 'timestamptz', nullable: true });
    expect(col('ad_spend', 'day')).toMatchObject({ type: 'date' });
    expect(tables.deals.updatedAtColumn).toBe('updated_at');
  });
});
