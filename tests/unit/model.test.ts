import { describe, expect, it } from 'vitest';
import { entities, plainCheck } from '../../src/model/index.js';
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

describe('the quick check the store takes valid records by', () => {
  const plain = plainCheck(entities.deals.schema, ['accountId']);
  const base = deal('q1', {
    tags: ['vip', 'a"b'],
    visitorIds: { yclid: '42' },
    createdAt: '2026-01-10T06:00:00.000Z',
    updatedAt: '2026-01-11T10:00:00.000Z',
  });

  it.each([
    ['a canonical deal', {}, true],
    ['an optional field left out', { utmSource: undefined }, true],
    ['an instant with an offset (zod converts it)', { createdAt: '2026-01-01T03:00:00+03:00' }, false],
    ['an instant without milliseconds', { createdAt: '2026-01-01T03:00:00Z' }, false],
    ['an impossible date', { createdAt: '2026-02-30T00:00:00.000Z' }, false],
    ['a comma decimal', { amount: '1,5' }, false],
    ['a number for money', { amount: 1.5 }, false],
    ['an unknown field', { colour: 'red' }, false],
    ['a required field missing', { title: undefined }, false],
    ['a tag that is not text', { tags: ['ok', 5] }, false],
    ['a visitor id that is not text', { visitorIds: { yclid: 42 } }, false],
    ['visitor ids as an array', { visitorIds: ['42'] }, false],
    ['an over-long title', { title: 'x'.repeat(10_001) }, false],
    ['an empty reference', { responsibleId: '' }, false],
  ])('%s: %s', (_what, over, expected) => {
    const input: Record<string, unknown> = { ...base, ...over };
    for (const [k, v] of Object.entries(over)) if (v === undefined) delete input[k];
    expect(plain(input)).toBe(expected);
    // Whatever it takes, zod takes too and returns unchanged.
    if (expected) {
      const r = entities.deals.schema.safeParse({ ...input, accountId: 'acc-1' });
      expect(r.success && r.data).toEqual({ ...input, accountId: 'acc-1' });
    }
  });

  it('agrees with zod on every entity for records zod has already returned', () => {
    const stage = { externalId: 's', entity: 'deal', pipelineId: '0', sourceStageId: 'X', name: 'X', semantics: 'won', sort: 1 };
    const user = { externalId: 'u', name: 'Иван', active: false, departmentIds: ['1'], dismissedAt: '2026-01-01T00:00:00.000Z' };
    for (const [entity, input] of [['stages', stage], ['users', user]] as const) {
      const record = { ...(entities[entity].schema.parse({ ...input, accountId: 'a' }) as Record<string, unknown>) };
      delete record.accountId;
      expect(plainCheck(entities[entity].schema, ['accountId'])(record)).toBe(true);
      expect(plainCheck(entities[entity].schema, ['accountId'])({ ...record, active: 'no' })).toBe(false);
    }
  });
});

describe('instants', () => {
  it.each(['2026-02-30T00:00:00.000Z', '2026-02-30T00:00:00+03:00', '2025-02-29T12:00:00Z'])('refuse a day that does not exist: %s', (at) => {
    expect(parse(deal('1', { createdAt: at })).success).toBe(false);
  });

  it('take a leap day', () => {
    const r = parse(deal('1', { createdAt: '2024-02-29T12:00:00+03:00' }));
    expect(r.success && r.data.createdAt).toBe('2024-02-29T09:00:00.000Z');
  });
});
