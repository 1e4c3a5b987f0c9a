import { describe, expect, it } from 'vitest';
import { entities } from '../../src/model/index.js';
import { deal } from '../helpers/fixtures.js';

const parse = (input: object) => entities.deals.schema.safeParse({ accountId: 'acc-1', ...input });

describe('common model', () => {
  it('converts instants to UTC and keeps money as exact decimal strings', () => {
    const r = parse(deal('1', { amount: '0.10', createdAt: '2026-01-01T03:00:00+03:00' }));
    expect(r.success && r.data).toMatchObject({ amount: '0.10', createdAt: '2026-01-01T00:00:00.000Z' });
  });

  it.each([
    ['a float', { amount: 0.1 }],
    ['a comma decimal', { amount: '0,10' }],
    ['a lower-case currency', { currency: 'rub' }],
    ['an instant without a zone', { createdAt: '2026-01-01T00:00:00' }],
    ['an unknown field', { colour: 'red' }],
  ])('refuses %s', (_what, over) => {
    expect(parse({ ...deal('1'), ...over }).success).toBe(false);
  });

  it('closes the enumerations', () => {
    const stage = { accountId: 'a', externalId: 's', entity: 'deal', pipelineId: '0', sourceStageId: 'X', name: 'X', sort: 1 };
    expect(entities.stages.schema.safeParse({ ...stage, semantics: 'won' }).success).toBe(true);
    expect(entities.stages.schema.safeParse({ ...stage, semantics: 'maybe' }).success).toBe(false);
  });
});
