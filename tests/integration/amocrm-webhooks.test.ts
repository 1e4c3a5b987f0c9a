import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amocrmAdapter } from '../../adapters/amocrm/index.js';
import { loadEnv } from '../../src/config/env.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log/logger.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { processEvents } from '../../src/runtime/events.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';
import { mountWebhooks } from '../../webhooks/index.js';
import { uninstallSignature } from '../../adapters/amocrm/install.js';

const docs = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/amocrm/docs/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const base = 'https://example.amocrm.ru';
const account = 'amo-example.amocrm.ru';
const secret = 'w'.repeat(48);
const log = createLogger('silent');
// The documented shape of a status-change webhook (form-encoded, bracket notation).
const body = new URLSearchParams({
  'leads[status][0][id]': '19619',
  'leads[status][0][status_id]': '142',
  'leads[status][0][pipeline_id]': '1300',
  'leads[status][0][old_status_id]': '141',
  'leads[status][0][last_modified]': '1502193501',
  'account[subdomain]': 'example',
  'account[id]': '5135160',
}).toString();

describe('amoCRM webhooks: a secret in the URL, the inbox once, re-read through the API', () => {
  let store: Store;
  let queue: MemoryQueue;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    store = await Store.open({ memory: true });
    queue = new MemoryQueue();
    await store.accounts.save({ id: account, kind: 'amocrm', name: 'example', settings: { baseUrl: base } });
    await store.forAccount(account).secrets.write({ kind: 'long-lived', token: 'long-lived-token-0123456789', webhookSecret: secret });
    const deps = { store, queue, log, env: loadEnv({ SVODKA_PUBLIC_URL: 'https://svodka.example.com', SVODKA_AMO_CLIENT_ID: 'amo-client-1', SVODKA_AMO_CLIENT_SECRET: 'amo-secret-1' }), units: { adapters: [amocrmAdapter as unknown as AdapterDef], plugins: [] }, limiter: createRateLimiter(), signal: new AbortController().signal };
    const app = createApp({ log, probes: [], isShuttingDown: () => false, mount: (a) => mountWebhooks(a, deps) });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/amocrm/${account}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await queue.close(100);
    await store.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  const post = (to: string, text: string) => fetch(to, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: text });

  it('refuses a wrong secret, stores a change once, and applies it by reading the lead again', async () => {
    expect((await post(`${url}/${'x'.repeat(48)}`, body)).status).toBe(401);
    expect(await (await post(`${url}/${secret}`, body)).json()).toEqual({ ok: true, changes: 1, new: 1 });
    expect(await (await post(`${url}/${secret}`, body)).json()).toEqual({ ok: true, changes: 1, new: 0 });
    expect((await post(`${url}/${secret}`, 'leads[status][0][id]=abc')).status).toBe(400);

    const leads = docs('leads.json') as { _embedded: { leads: Record<string, unknown>[] } };
    nock(base)
      .get('/api/v4/account').query(true).reply(200, docs('account.json'))
      .get('/api/v4/leads').query((q) => q['filter[id][0]'] === '19619').reply(200, { _embedded: { leads: [leads._embedded.leads[0]] }, _links: {} });
    const deps = { store, queue, log, units: { adapters: [amocrmAdapter as unknown as AdapterDef], plugins: [] }, limiter: createRateLimiter() };
    expect(await processEvents(deps, account, new AbortController().signal)).toBe(1);
    expect((await store.forAccount(account).get('deals', '19619'))?.record).toMatchObject({ amount: '46333', stageId: '1300:142' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('installs from the Marketplace on amoCRM domains only, subscribes the webhooks with the secret URL; the signed uninstall stops it', async () => {
    const root = url.replace(/\/[^/]+$/, '');
    expect((await fetch(`${root}/install?code=code-0123456789&referer=evil.example.com`)).status).toBe(400);
    expect((await fetch(`${root}/install?code=code-0123456789&referer=127.0.0.1:9`)).status).toBe(400);
    let destination = '';
    nock('https://shop.amocrm.ru')
      .post('/oauth2/access_token', (b: Record<string, string>) => b.grant_type === 'authorization_code' && b.code === 'code-0123456789' && b.redirect_uri === 'https://svodka.example.com/webhooks/amocrm/install')
      .reply(200, { token_type: 'Bearer', expires_in: 86400, access_token: 'install-access-0123456789', refresh_token: 'install-refresh-0123456789' })
      .get('/api/v4/account').times(2).reply(200, docs('account.json'))
      .post('/api/v4/webhooks', (b: { destination: string; settings: string[] }) => {
        destination = b.destination;
        return b.settings.includes('status_lead');
      })
      .reply(200, docs('webhook.subscribe.response.json'));
    const r = await fetch(`${root}/install?code=code-0123456789&referer=shop.amocrm.ru&from_widget=1&platform=1`);
    expect(r.status).toBe(200);
    expect(nock.pendingMocks()).toEqual([]);
    const id = 'amo-shop.amocrm.ru';
    const stored = (await store.forAccount(id).secrets.read())?.value as { webhookSecret: string; kind: string };
    expect(stored.kind).toBe('oauth');
    expect(destination).toBe(`https://svodka.example.com/webhooks/amocrm/${id}/${stored.webhookSecret}`);
    expect((await store.accounts.get(id))?.settings).toMatchObject({ baseUrl: 'https://shop.amocrm.ru', amoAccountId: 1231414 });

    const good = uninstallSignature({ clientId: 'amo-client-1', clientSecret: 'amo-secret-1' }, '1231414');
    expect((await fetch(`${root}/uninstall?account_id=1231414&client_uuid=x&signature=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await fetch(`${root}/uninstall?account_id=1231414&client_uuid=x&signature=${good}`)).status).toBe(200);
    expect((await store.accounts.get(id))?.status).toBe('paused');
    expect(await store.forAccount(id).secrets.read()).toBeUndefined();
  });
});
