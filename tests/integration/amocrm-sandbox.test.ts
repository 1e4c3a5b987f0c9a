import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAccount } from '../../adapters/amocrm/connect.js';
import { Amo } from '../../adapters/amocrm/client.js';
import { amocrmAdapter } from '../../adapters/amocrm/index.js';
import { createLogger } from '../../src/log/logger.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { connectAccount } from '../../src/runtime/connect-account.js';
import { adapterContext } from '../../src/runtime/context.js';
import { runSync, type JobDeps } from '../../src/runtime/jobs.js';
import { dispatchOutbox } from '../../src/runtime/outbox.js';
import { startAmocrmSandbox, type AmocrmSandbox } from '../../src/sandbox/amocrm/index.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';

const adapter = amocrmAdapter as unknown as AdapterDef;

describe('amoCRM adapter against the sandbox account (HTTPS, 7 requests/s, one-time refresh tokens)', () => {
  let sandbox: AmocrmSandbox;
  let store: Store;
  let deps: JobDeps;
  let account: string;
  const signal = new AbortController().signal;
  const n = (r: Awaited<ReturnType<typeof runSync>>, e: string) => {
    const c = r.entities[e as 'deals']!;
    return c.inserted + c.updated + c.unchanged;
  };

  beforeAll(async () => {
    sandbox = await startAmocrmSandbox({ leads: 600, contacts: 200, companies: 60, users: 8, inactiveUsers: 2, anchor: Date.parse('2026-11-01T00:00:00Z') });
    store = await Store.open({ memory: true });
    deps = { store, queue: new MemoryQueue(), log: createLogger('silent'), units: { adapters: [adapter], plugins: [] }, limiter: createRateLimiter() };
    account = (await connectAccount(deps, adapter, tokenAccount(sandbox.baseUrl, sandbox.longLivedToken), signal)).id;
  });
  afterAll(async () => {
    await deps?.queue.close(100);
    await store?.close();
    await sandbox?.close();
  });

  it('syncs users, pipelines, statuses, leads, contacts, companies, tasks and status events, within the limit', async () => {
    sandbox.resetStats();
    const r = await runSync(deps, { account }, signal);
    const d = sandbox.data;
    expect(n(r, 'deals')).toBe(d.leads.rows.filter((l) => !l.isDeleted).length);
    expect(n(r, 'contacts')).toBe(d.contacts.rows.length);
    expect(n(r, 'companies')).toBe(d.companies.rows.length);
    // Tasks and the calls: call notes of leads and contacts.
    const calls = d.notes.rows.filter((x) => (x.noteType === 'call_in' || x.noteType === 'call_out') && (x.entity === 'leads' || x.entity === 'contacts'));
    expect(calls.length).toBeGreaterThan(0);
    expect(n(r, 'activities')).toBe(d.tasks.rows.length + calls.length);
    const call = calls[0]!;
    expect((await store.forAccount(account).get('activities', `note:${call.id}`))?.record).toMatchObject({ kind: 'call', direction: call.noteType === 'call_in' ? 'incoming' : 'outgoing', completed: true });
    expect(n(r, 'users')).toBe(d.users.rows.length);
    expect(n(r, 'stage_changes')).toBe(d.events.rows.filter((e) => e.type === 'lead_status_changed').length);
    expect(r.requests).toBe(sandbox.stats().requests);
    expect(sandbox.stats().limited).toBe(0);
    const acc = store.forAccount(account);
    const inactive = (await acc.list('users')).filter((u) => !u.active).length;
    expect(inactive).toBe(2);
    const lead = d.leads.rows.find((l) => !l.isDeleted)!;
    expect((await acc.get('deals', String(lead.id)))?.record).toMatchObject({ amount: String(lead.price), stageId: `${lead.pipelineId}:${lead.statusId}` });
  }, 120_000);

  it('reads only what changed since, with the account API filter', async () => {
    const lead = sandbox.data.leads.rows.find((l) => !l.isDeleted)!;
    sandbox.updateLead(lead.id, { price: 777_000 });
    sandbox.resetStats();
    const r = await runSync(deps, { account, entity: 'deals' }, signal);
    expect(r.entities.deals!.updated).toBe(1);
    expect(r.entities.deals!.inserted).toBe(0);
    expect((await store.forAccount(account).get('deals', String(lead.id)))?.record.amount).toBe('777000');
  }, 60_000);

  it('writes back tasks, notes, fields and a reassignment in batches', async () => {
    const lead = sandbox.data.leads.rows.find((l) => !l.isDeleted)!;
    const to = sandbox.data.users.rows.find((u) => u.isActive && u.id !== lead.responsibleUserId)!;
    const acc = store.forAccount(account);
    await acc.outbox.add([
      { key: `t:${lead.id}`, adapter: 'amocrm', kind: 'task', payload: { title: 'Позвонить клиенту', responsibleId: String(to.id), owner: { entity: 'deal', id: String(lead.id) } } },
      { key: `n:${lead.id}`, adapter: 'amocrm', kind: 'comment', payload: { entity: 'deal', id: String(lead.id), text: 'Сделка передана' } },
      { key: `f:${lead.id}`, adapter: 'amocrm', kind: 'field', payload: { entity: 'deal', id: String(lead.id), field: 'SCORE', value: '91' } },
      { key: `r:${lead.id}`, adapter: 'amocrm', kind: 'reassign', payload: { entity: 'deal', id: String(lead.id), toUserId: String(to.id) } },
    ]);
    expect(await dispatchOutbox(deps, account, signal)).toEqual({ sent: 4, failed: 0, deferred: 0 });
    expect(sandbox.data.leads.get(lead.id)!.responsibleUserId).toBe(to.id);
    expect(sandbox.data.tasks.rows.some((t) => t.entityId === lead.id && t.text.startsWith('Позвонить клиенту'))).toBe(true);
    expect(sandbox.data.notes.rows.some((x) => x.entityId === lead.id && JSON.stringify(x).includes('Сделка передана'))).toBe(true);
    const field = sandbox.data.fields.rows.find((f) => f.code === 'SVODKA_SCORE')!;
    expect(sandbox.data.leads.get(lead.id)!.cf.find((v) => v.fieldId === field.id)).toBeDefined();
  }, 60_000);

  it('refreshes an expired token exactly once when 20 requests see it at once', async () => {
    const t = sandbox.oauth.issue();
    await store.accounts.save({ id: 'amo-oauth', kind: 'amocrm', name: 'oauth', settings: { baseUrl: sandbox.baseUrl } });
    const acc = store.forAccount('amo-oauth');
    await acc.secrets.write({ kind: 'oauth', accessToken: t.access_token, refreshToken: t.refresh_token, expires: Math.floor(Date.now() / 1000) + 3600, clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret, redirectUri: sandbox.oauth.redirectUri });
    const config = amocrmAdapter.config.parse({ baseUrl: sandbox.baseUrl });
    const ctx = adapterContext({ adapter, store: acc, config, limiter: createRateLimiter(), log: createLogger('silent'), signal });
    sandbox.expireTokens();
    sandbox.resetStats();
    const amo = new Amo(ctx as never);
    const answers = await Promise.all(Array.from({ length: 20 }, () => amo.request<{ id: number }>('GET', '/api/v4/account')));
    expect(answers.every((a) => a.data.id === sandbox.accountId)).toBe(true);
    expect(sandbox.stats().refreshes).toBe(1);
  }, 60_000);
});
