import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/sdk/errors.js';
import { migrate } from '../../src/store/migrate.js';
import type { AccountStore, Store } from '../../src/store/index.js';
import { drivers, type OpenedStore } from '../helpers/drivers.js';
import { deal } from '../helpers/fixtures.js';

describe.each(drivers)('store on $name', ({ open }) => {
  let opened: OpenedStore;
  let store: Store;
  let a: AccountStore;
  let b: AccountStore;

  beforeAll(async () => {
    opened = await open();
    store = opened.store;
    await store.accounts.save({ id: 'acc-a', kind: 'bitrix24', name: 'Portal A' });
    await store.accounts.save({ id: 'acc-b', kind: 'amocrm', name: 'Account B' });
    a = store.forAccount('acc-a');
    b = store.forAccount('acc-b');
  });
  afterAll(() => opened.dispose());

  it('migrates once: a second run applies nothing and keeps the data', async () => {
    await a.upsert('deals', [deal('m1')]);
    expect(await migrate(store.db)).toEqual({ applied: [] });
    expect((await a.get('deals', 'm1'))?.record.title).toBe('Сделка m1');
  });

  it('stores exact decimals and UTC instants, and reads back the model', async () => {
    await a.upsert('deals', [deal('d1', { amount: '12345678901234.05', visitorIds: { yclid: '42' }, tags: ['vip'] })]);
    const got = await a.get('deals', 'd1');
    expect(got?.deleted).toBe(false);
    expect(got?.record).toEqual({
      accountId: 'acc-a',
      externalId: 'd1',
      title: 'Сделка d1',
      pipelineId: '0',
      stageId: 'NEW',
      amount: '12345678901234.05',
      currency: 'RUB',
      responsibleId: '7',
      utmSource: 'yandex',
      visitorIds: { yclid: '42' },
      tags: ['vip'],
      createdAt: '2026-01-10T06:00:00.000Z',
      updatedAt: '2026-01-11T10:00:00.000Z',
    });
  });

  it('takes text with tabs, newlines, backslashes, quotes and NBSP through the bulk path unchanged', async () => {
    const nasty = 'Tab\there, line\nbreak\r\n, back\\slash \\N, "quoted", {braces}, 1\u00a0000';
    const records = Array.from({ length: 2_500 }, (_, i) =>
      deal(`esc-${i}`, {
        title: `${nasty} ${i}`,
        tags: ['a,b', 'c"d', 'e\\f', 'g\th', '', 'NULL'],
        visitorIds: { yclid: 'x\ty', note: 'back\\slash "q"' },
        createdAt: '2026-01-10T06:00:00.000Z',
        updatedAt: '2026-01-11T10:00:00.000Z',
      }),
    );
    expect(await a.upsert('deals', records)).toEqual({ inserted: 2_500, updated: 0, unchanged: 0 });
    const got = await a.get('deals', 'esc-7');
    expect(got?.record.title).toBe(`${nasty} 7`);
    expect(got?.record.tags).toEqual(['a,b', 'c"d', 'e\\f', 'g\th', '', 'NULL']);
    expect(got?.record.visitorIds).toEqual({ yclid: 'x\ty', note: 'back\\slash "q"' });
    expect(await a.upsert('deals', records)).toEqual({ inserted: 0, updated: 0, unchanged: 2_500 });
  });

  it('bulk-inserts a mix of canonical and convertible records, and refuses the batch for one bad record', async () => {
    const mixed = Array.from({ length: 3_000 }, (_, i) =>
      deal(`mix-${i}`, i % 2 ? { createdAt: '2026-01-10T09:00:00+03:00' } : { createdAt: '2026-01-10T06:00:00.000Z' }),
    );
    expect(await a.upsert('deals', mixed)).toEqual({ inserted: 3_000, updated: 0, unchanged: 0 });
    expect((await a.get('deals', 'mix-1'))?.record.createdAt).toBe('2026-01-10T06:00:00.000Z');
    const bad = [...Array.from({ length: 2_999 }, (_, i) => deal(`bad-${i}`)), deal('bad-x', { amount: '1 000' })];
    await expect(a.upsert('deals', bad)).rejects.toThrow(ValidationError);
    expect(await a.get('deals', 'bad-0')).toBeUndefined();
  });

  it('counts inserts, updates and no-ops; an unchanged copy writes nothing', async () => {
    const first = await a.upsert('deals', [deal('u1'), deal('u2')]);
    expect(first).toEqual({ inserted: 2, updated: 0, unchanged: 0 });
    const again = await a.upsert('deals', [deal('u1'), deal('u2', { stageId: 'WON', updatedAt: '2026-01-12T00:00:00Z' })]);
    expect(again).toEqual({ inserted: 0, updated: 1, unchanged: 1 });
    expect((await a.get('deals', 'u2'))?.record.stageId).toBe('WON');
  });

  it('never lets an older copy overwrite a newer one', async () => {
    await a.upsert('deals', [deal('o1', { stageId: 'WON', updatedAt: '2026-02-01T00:00:00Z' })]);
    const stale = await a.upsert('deals', [deal('o1', { stageId: 'NEW', updatedAt: '2026-01-01T00:00:00Z' })]);
    expect(stale.unchanged).toBe(1);
    expect((await a.get('deals', 'o1'))?.record.stageId).toBe('WON');
  });

  it('soft-deletes; a stale copy does not bring a record back, a newer one does', async () => {
    await a.upsert('deals', [deal('s1')]);
    expect(await a.delete('deals', ['s1'])).toBe(1);
    expect((await a.get('deals', 's1'))?.deleted).toBe(true);
    expect((await a.list('deals')).map((d) => d.externalId)).not.toContain('s1');
    await a.upsert('deals', [deal('s1')]);
    expect((await a.get('deals', 's1'))?.deleted).toBe(true);
    await a.upsert('deals', [deal('s1', { updatedAt: '2026-03-01T00:00:00Z' })]);
    expect((await a.get('deals', 's1'))?.deleted).toBe(false);
  });

  it('reconciles ids: what the source no longer lists is soft-deleted', async () => {
    await a.upsert('stages', [
      { externalId: 'r1', entity: 'deal', pipelineId: '0', sourceStageId: 'NEW', name: 'Новая', semantics: 'open', sort: 10 },
      { externalId: 'r2', entity: 'deal', pipelineId: '0', sourceStageId: 'WON', name: 'Успех', semantics: 'won', sort: 20 },
    ]);
    expect(await a.reconcile('stages', ['r1'])).toBe(1);
    expect((await a.list('stages')).map((s) => s.externalId)).toEqual(['r1']);
  });

  it('rejects a page with one invalid record whole: nothing stored, cursor unmoved', async () => {
    const page = {
      adapter: 'test',
      entity: 'deals' as const,
      records: [deal('v1'), deal('v2', { amount: '12,50' }), deal('v3', { currency: 'rub' })],
      cursor: { after: 'v3' },
    };
    const err = await a.applyPage(page).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues).toHaveLength(2);
    expect((err as ValidationError).message).toContain('#1 amount');
    expect(await a.get('deals', 'v1')).toBeUndefined();
    expect(await a.cursor('test', 'deals')).toBeNull();
  });

  it('commits a page and its cursor together, or neither when the write fails half-way', async () => {
    await a.applyPage({ adapter: 'test', entity: 'deals', records: [deal('c1')], cursor: { after: 'c1' } });
    expect(await a.cursor('test', 'deals')).toEqual({ after: 'c1' });
    // Postgres rejects a NUL character in jsonb: the cursor write fails after the records were written.
    const bad = a.applyPage({ adapter: 'test', entity: 'deals', records: [deal('c2')], cursor: { after: 'c2\u0000' } });
    await expect(bad).rejects.toThrow();
    expect(await a.get('deals', 'c2')).toBeUndefined();
    expect(await a.cursor('test', 'deals')).toEqual({ after: 'c1' });
  });

  it('keeps accounts apart: B reads none of A, and cannot write as A', async () => {
    await a.upsert('deals', [deal('x1')]);
    await a.outbox.add([{ key: 'k1', adapter: 'bitrix24', kind: 'task', payload: { title: 't' } }]);
    await a.inbox.receive('bitrix24', 'e1', { event: 'ONCRMDEALUPDATE' });
    expect(await b.get('deals', 'x1')).toBeUndefined();
    expect(await b.list('deals')).toEqual([]);
    expect(await b.count('deals')).toBe(0);
    expect(await b.cursor('test', 'deals')).toBeNull();
    expect(await b.outbox.list()).toEqual([]);
    expect(await b.outbox.claim(10)).toEqual([]);
    await expect(b.upsert('deals', [{ ...deal('x1'), accountId: 'acc-a' }])).rejects.toThrow(/belongs to account acc-a/);
    // The same external id in B is a different record.
    await b.upsert('deals', [deal('x1', { title: 'B' })]);
    expect((await a.get('deals', 'x1'))?.record.title).toBe('Сделка x1');
    expect(() => store.forAccount("acc-a' OR 1=1")).toThrow(/not an account id/);
    await expect(store.forAccount('acc-nobody').upsert('deals', [deal('n1')])).rejects.toThrow(/account acc-nobody does not exist/);
    await expect(store.accounts.save({ id: 'acc-a', kind: 'amocrm', name: 'Hijack' })).rejects.toThrow(/another kind/);
    expect((await store.accounts.get('acc-a'))?.name).toBe('Portal A');
  });

  it('scoped SQL sees only its account, only declared entities, and cannot write', async () => {
    await a.upsert('deals', [deal('sc-1', { amount: '10.05' }), deal('sc-2', { amount: '0.95' })]);
    await b.upsert('deals', [deal('sc-1', { amount: '1000' })]);
    await a.delete('deals', ['sc-2']);
    const sum = await a.readScoped(['deals'], (q) =>
      q.query<{ n: string; total: string }>("SELECT count(*)::text AS n, sum(amount)::text AS total FROM deals WHERE external_id LIKE 'sc-%'"),
    );
    expect(sum).toEqual([{ n: '1', total: '10.05' }]);
    const refused = (text: string, reads: ('deals' | 'users')[] = ['deals']) => a.readScoped(reads, (q) => q.query(text));
    await expect(refused('SELECT * FROM public.deals')).rejects.toThrow(/without a schema/);
    await expect(refused('SELECT 1; SELECT * FROM deals')).rejects.toThrow(/one statement/);
    await expect(refused('SELECT * FROM users')).rejects.toThrow(/reads users without declaring it/);
    await expect(refused("UPDATE deals SET title = 'x'")).rejects.toThrow(/read-only|cannot|view/i);
    await expect(refused("INSERT INTO outbox (account_id, idempotency_key, adapter, kind, payload) VALUES ('acc-a', 'x', 'a', 'k', '{}')")).rejects.toThrow(/read-only/);
    // The views went with the transaction: the store's own statements see the tables again.
    expect((await b.get('deals', 'sc-1'))?.record.amount).toBe('1000');
    expect((await a.get('deals', 'sc-2'))?.deleted).toBe(true);
  });

  it('outbox: one intent per key; claimed, done, failed with reason', async () => {
    const intent = { key: 'task:deal:1', adapter: 'bitrix24', kind: 'task', payload: { dealId: '1' } };
    expect(await a.outbox.add([intent])).toEqual({ added: 1, existing: 0 });
    expect(await a.outbox.add([intent])).toEqual({ added: 0, existing: 1 });
    await a.outbox.add([{ ...intent, key: 'task:deal:2' }]);
    const claimed = await a.outbox.claim(10);
    expect(claimed.map((c) => c.key)).toEqual(['k1', 'task:deal:1', 'task:deal:2']);
    expect(await a.outbox.claim(10)).toEqual([]);
    await a.outbox.done(claimed[1]!.id);
    await a.outbox.fail(claimed[2]!.id, 'portal said: access denied', false);
    await a.outbox.fail(claimed[0]!.id, 'timeout', true);
    expect((await a.outbox.list('failed'))[0]).toMatchObject({ key: 'task:deal:2', lastError: 'portal said: access denied' });
    expect((await a.outbox.claim(10)).map((c) => [c.key, c.attempts])).toEqual([['k1', 2]]);
  });

  it('deletes an account with every row it owns, and only those', async () => {
    await store.accounts.save({ id: 'acc-gone', kind: 'amocrm', name: 'Uninstalled' });
    const gone = store.forAccount('acc-gone');
    await gone.applyPage({ adapter: 'amocrm', entity: 'deals', records: [deal('g1')], cursor: { page: 2 } });
    await gone.outbox.add([{ key: 'g', adapter: 'amocrm', kind: 'note', payload: {} }]);
    const before = await a.count('deals');
    expect(await store.deleteAccount('acc-gone')).toBe(true);
    expect(await store.accounts.get('acc-gone')).toBeUndefined();
    expect(await gone.count('deals')).toBe(0);
    expect(await gone.cursor('amocrm', 'deals')).toBeNull();
    expect(await gone.outbox.list()).toEqual([]);
    expect(await a.count('deals')).toBe(before);
  });

  it('keeps planner statistics current during a bulk first sync', async () => {
    const acc = store.forAccount('acc-b');
    const reltuples = async () =>
      Number((await store.db.query<{ n: number }>("SELECT reltuples::float8 AS n FROM pg_class WHERE relname = 'companies'")).rows[0]?.n);
    const before = await reltuples();
    const companies = Array.from({ length: 12_000 }, (_, i) => ({
      externalId: `co-${i}`,
      name: `ООО Ромашка ${i}`,
      phones: [],
      emails: [],
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    }));
    await acc.upsert('companies', companies.slice(0, 6_000));
    expect(await reltuples()).toBe(before);
    await acc.upsert('companies', companies.slice(6_000));
    expect(await reltuples()).toBeGreaterThanOrEqual(11_000);
  });

  it('inbox: the same event twice is stored once', async () => {
    const first = await a.inbox.receive('amocrm', 'lead-5-status', { id: 5 });
    const second = await a.inbox.receive('amocrm', 'lead-5-status', { id: 5 });
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ id: first.id, duplicate: true });
    await a.inbox.processed(first.id);
    expect((await a.inbox.get(first.id))?.status).toBe('processed');
    expect(await b.inbox.get(first.id)).toBeUndefined();
  });
});
