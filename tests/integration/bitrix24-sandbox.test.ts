import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookAccount } from '../../adapters/bitrix24/connect.js';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { createLogger } from '../../src/log/logger.js';
import type { EntityName } from '../../src/model/index.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { connectAccount } from '../../src/runtime/connect-account.js';
import { runSync, connect, type JobDeps } from '../../src/runtime/jobs.js';
import { dispatchOutbox } from '../../src/runtime/outbox.js';
import { reconcileAccount } from '../../src/runtime/reconcile.js';
import { writeBatch, mark } from '../../adapters/bitrix24/write.js';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../src/sandbox/bitrix24/index.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';

const adapter = bitrix24Adapter as unknown as AdapterDef;

describe('bitrix24 adapter against the sandbox portal (HTTPS, real limits, through the SDK)', () => {
  let sandbox: Bitrix24Sandbox;
  let store: Store;
  let deps: JobDeps;
  let account: string;
  const signal = new AbortController().signal;
  const total = (r: Awaited<ReturnType<typeof runSync>>, e: EntityName) => {
    const c = r.entities[e]!;
    return c.inserted + c.updated + c.unchanged;
  };

  beforeAll(async () => {
    // 2,600 deals: more than one batch of 50 pages of 50, so the $result chaining is crossed.
    sandbox = await startBitrix24Sandbox({ deals: 2600, leads: 120, contacts: 300, companies: 60, activities: 900, managers: 12, dismissed: 3, anchor: Date.parse('2026-11-01T00:00:00Z') });
    store = await Store.open({ memory: true });
    deps = { store, queue: new MemoryQueue(), log: createLogger('silent'), units: { adapters: [adapter], plugins: [] }, limiter: createRateLimiter() };
    account = (await connectAccount(deps, adapter, webhookAccount(sandbox.webhookUrl), signal)).id;
  });
  afterAll(async () => {
    await deps?.queue.close(100);
    await store?.close();
    await sandbox?.close();
  });

  it('connects only with a working webhook, storing nothing otherwise', async () => {
    const bad = webhookAccount(sandbox.webhookUrl.replace(/\/rest\/1\/[^/]+/, '/rest/1/wrongkey123'));
    await expect(connectAccount(deps, adapter, { ...bad, id: 'b24-bad' }, signal)).rejects.toThrow(/INVALID_CREDENTIALS|NO_AUTH|401/);
    expect(await store.accounts.get('b24-bad')).toBeUndefined();
    expect(account).toMatch(/^b24-127\.0\.0\.1-\d+$/);
  });

  it('syncs every entity fully, exactly, in few requests', async () => {
    sandbox.resetStats();
    const r = await runSync(deps, { account }, signal);
    const d = sandbox.data;
    expect(total(r, 'deals')).toBe(d.deals.rows.length);
    expect(total(r, 'leads')).toBe(d.leads.rows.length);
    expect(total(r, 'contacts')).toBe(d.contacts.rows.length);
    expect(total(r, 'companies')).toBe(d.companies.rows.length);
    expect(total(r, 'activities')).toBe(d.activities.rows.length);
    expect(total(r, 'users')).toBe(d.users.rows.length);
    expect(total(r, 'stage_changes')).toBe(d.stageHistory.rows.length);
    expect(total(r, 'deal_items')).toBe(d.productRows.rows.filter((p) => (p as { ownerType?: string }).ownerType !== 'L').length);
    expect(total(r, 'products')).toBe(d.products.rows.length);
    expect(total(r, 'stock')).toBe(d.storeProducts.rows.length);
    // Requests: what was sent equals what the portal counted, and the fast batched reads keep it small.
    expect(r.requests).toBe(sandbox.stats().requests);
    expect(r.requests).toBeLessThan(60);
    expect(sandbox.stats().limited).toBe(0);

    const acc = store.forAccount(account);
    const raw = d.deals.rows[1234]!;
    const got = (await acc.get('deals', String(raw.id)))!.record;
    expect(got.amount).toBe(String(raw.opportunity ?? 0));
    expect(got.stageId).toBe(`deal:${raw.stageId}`);
    expect(got.updatedAt).toBe(new Date(raw.updatedTime).toISOString());
    const dismissed = d.users.rows.filter((u) => !u.active).map((u) => String(u.id)).sort();
    const inactive = (await acc.list('users')).filter((u) => !u.active).map((u) => u.externalId).sort();
    expect(inactive).toEqual(dismissed);
  }, 60_000);

  it('syncs again with nothing new, then picks up exactly what changed', async () => {
    const again = await runSync(deps, { account, entity: 'deals' }, signal);
    expect(again.entities.deals!.inserted + again.entities.deals!.updated).toBe(0);
    expect(again.requests).toBeLessThanOrEqual(2);

    const id = sandbox.data.deals.rows[42]!.id;
    sandbox.updateDeal(id, { title: 'Поставка оборудования (обновлено)', opportunity: 123456.78 });
    const added = sandbox.addDeal({ title: 'Новая сделка' });
    const r = await runSync(deps, { account, entity: 'deals' }, signal);
    expect(r.entities.deals).toMatchObject({ inserted: 1, updated: 1 });
    const acc = store.forAccount(account);
    expect((await acc.get('deals', String(id)))!.record).toMatchObject({ title: 'Поставка оборудования (обновлено)', amount: '123456.78' });
    expect(await acc.get('deals', String(added))).toBeDefined();
  });

  it('notices a dismissal by polling users, and a deletion when the whole list is read', async () => {
    const manager = sandbox.data.users.rows.find((u) => u.active && u.id !== 1)!;
    sandbox.dismissUser(manager.id);
    const r = await runSync(deps, { account, entity: 'users' }, signal);
    expect(r.entities.users!.updated).toBe(1);
    expect((await store.forAccount(account).get('users', String(manager.id)))!.record.active).toBe(false);
  });

  it('writes back from the outbox in one batch: fields (created when missing), task, comment, reassignment with open activities, price; a retry writes nothing twice', async () => {
    const d = sandbox.data;
    const deal = d.deals.rows.find((x) => d.activities.rows.some((a) => a.ownerTypeId === 2 && a.ownerId === x.id && a.completed === 'N'))!;
    const to = d.users.rows.find((u) => u.active && u.id !== deal.assignedById)!;
    const price = d.prices.rows[0]! as unknown as { productId: number; catalogGroupId: number };
    const intents = [
      { key: 'kpi:score:deal:' + deal.id, adapter: 'bitrix24', kind: 'field', payload: { entity: 'deal', id: String(deal.id), field: 'SCORE', value: '87', label: { ru: 'Оценка', en: 'Score' } } },
      { key: 'stale:task:' + deal.id, adapter: 'bitrix24', kind: 'task', payload: { title: 'Проверить сделку без движения', description: 'Нет активности 30 дней', responsibleId: String(to.id), owner: { entity: 'deal', id: String(deal.id) } } },
      { key: 'stale:comment:' + deal.id, adapter: 'bitrix24', kind: 'comment', payload: { entity: 'deal', id: String(deal.id), text: 'Сделка передана новому менеджеру' } },
      { key: 'stale:reassign:' + deal.id, adapter: 'bitrix24', kind: 'reassign', payload: { entity: 'deal', id: String(deal.id), toUserId: String(to.id) } },
      { key: 'onec:price:' + price.productId, adapter: 'bitrix24', kind: 'price', payload: { productId: String(price.productId), priceTypeId: String(price.catalogGroupId), amount: '1999.90', currency: 'RUB' } },
      { key: 'bad:1', adapter: 'bitrix24', kind: 'field', payload: { entity: 'deal', id: String(deal.id), field: 'TOO_LONG_NAME', value: 1 } },
    ];
    const acc = store.forAccount(account);
    await acc.outbox.add(intents);
    const counts = await dispatchOutbox(deps, account, signal);
    expect(counts).toEqual({ sent: 5, failed: 1, deferred: 0 });
    expect((await acc.outbox.list('failed'))[0]!.lastError).toMatch(/6 capital letters/);

    const now = d.deals.get(deal.id)!;
    expect(now.uf?.ufCrmSvodkaScore).toBe('87');
    expect(now.assignedById).toBe(to.id);
    expect(d.activities.rows.filter((a) => a.ownerTypeId === 2 && a.ownerId === deal.id && a.completed === 'N').every((a) => a.responsibleId === to.id)).toBe(true);
    expect(sandbox.written.tasks.filter((t) => String(t.description).includes(mark('stale:task:' + deal.id)))).toHaveLength(1);
    expect(sandbox.written.comments.filter((c) => String(c.COMMENT).includes(mark('stale:comment:' + deal.id)))).toHaveLength(1);
    const p = d.prices.rows.filter((x) => (x as unknown as { productId: number }).productId === price.productId && (x as unknown as { catalogGroupId: number }).catalogGroupId === price.catalogGroupId);
    expect(p).toHaveLength(1);
    expect(String((p[0] as unknown as { price: number }).price)).toBe('1999.9');

    // A crash after sending and before marking done: the intents come again with attempts 2.
    const c = (await connect(deps, account, signal))!;
    const again = await writeBatch(c.ctx as never, intents.slice(0, 5).map((i) => ({ ...i, attempts: 2 })));
    expect([...again.values()]).toEqual([]);
    expect(sandbox.written.tasks).toHaveLength(1);
    expect(sandbox.written.comments).toHaveLength(1);
    expect(d.prices.rows.filter((x) => (x as unknown as { productId: number }).productId === price.productId && (x as unknown as { catalogGroupId: number }).catalogGroupId === price.catalogGroupId)).toHaveLength(1);
  });

  it('finds deletions no event reported by listing ids, and deletes nothing else', async () => {
    const acc = store.forAccount(account);
    const before = await acc.count('deals');
    const gone = sandbox.data.deals.rows[7]!.id;
    sandbox.deleteDeal(gone);
    sandbox.resetStats();
    const r = await reconcileAccount(deps, account, signal);
    expect(r.deals).toBe(1);
    expect(r.activities ?? 0).toBe(0);
    expect((await acc.get('deals', String(gone)))?.deleted).toBe(true);
    expect(await acc.count('deals')).toBe(before - 1);
    // Ids only, 2,500 per request.
    expect(sandbox.stats().requests).toBeLessThan(15);
  });
});
