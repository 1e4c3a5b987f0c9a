import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log/logger.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { processEvents } from '../../src/runtime/events.js';
import type { AdapterDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';
import { mountWebhooks } from '../../webhooks/index.js';
import { loadEnv } from '../../src/config/env.js';
import { docs } from '../helpers/b24-docs.js';

const account = 'b24-some-domain.bitrix24.com';
const portal = 'https://some-domain.bitrix24.com';
const body = readFileSync(new URL('../fixtures/bitrix24/docs/event.ONCRMDEALUPDATE.txt', import.meta.url), 'utf8').trim();
const log = createLogger('silent');

describe('bitrix24 events: verify, inbox once, apply', () => {
  let store: Store;
  let queue: MemoryQueue;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    store = await Store.open({ memory: true });
    queue = new MemoryQueue();
    await store.accounts.save({ id: account, kind: 'bitrix24', name: 'some-domain', settings: { portal, auth: 'webhook' } });
    // The documented event carries application token 51856fef...; the account stored that one.
    await store.forAccount(account).secrets.write({ kind: 'webhook', userId: 1, secret: 's3cr3thookkey42', applicationToken: '51856fefc120afa4b628cc82d3935cce' });
    const env = loadEnv({ SVODKA_PUBLIC_URL: 'https://svodka.example.com', SVODKA_B24_CLIENT_ID: 'local.svodka.1', SVODKA_B24_CLIENT_SECRET: 'app-secret-1' });
    const units = { adapters: [bitrix24Adapter as unknown as AdapterDef], plugins: [] };
    const deps = { store, queue, log, env, units, limiter: createRateLimiter(), signal: new AbortController().signal };
    const app = createApp({ log, probes: [], isShuttingDown: () => false, mount: (a) => mountWebhooks(a, deps) });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/bitrix24/events`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await queue.close(100);
    await store.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  const base = () => url.replace(/\/events$/, '');
  const post = (to: string, text: string) =>
    fetch(to, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: text });

  it('accepts the documented event once, refuses forged ones and garbage, and queues one job', async () => {
    const first = await post(`${url}/${account}`, body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true, duplicate: false });
    const replay = await post(`${url}/${account}`, body);
    expect(await replay.json()).toEqual({ ok: true, duplicate: true });

    const forged = await post(`${url}/${account}`, body.replace('51856fefc120afa4b628cc82d3935cce', '51856fefc120afa4b628cc82d3935ccf'));
    expect(forged.status).toBe(401);
    expect((await post(`${url}/b24-unknown.example`, body)).status).toBe(401);
    const html = await fetch(`${url}/${account}`, { method: 'POST', headers: { 'content-type': 'text/html' }, body: '<html></html>' });
    expect(html.status).toBe(400);

    const pending = await store.forAccount(account).inbox.pending('bitrix24');
    expect(pending.map((p) => p.payload)).toEqual([{ entity: 'deals', id: '759', deleted: false, event: 'ONCRMDEALUPDATE' }]);
    await new Promise((r) => setTimeout(r, 300));
    expect((await queue.counts()).waiting).toBe(1);
  });

  it('applies events by reading the named records again, and deletes on delete events', async () => {
    const deal = { ...docs<{ result: { item: Record<string, unknown> } }>('crm.item.add.deal.json').result.item, id: 759 };
    nock(portal)
      .post('/rest/1/s3cr3thookkey42/batch', (b: { cmd: Record<string, string> }) => decodeURIComponent(b.cmd.f0!).includes('filter[@id][0]=759'))
      .query(true)
      .reply(200, { result: { result: { f0: { items: [deal] } }, result_error: [], result_total: { f0: 1 }, result_next: [], result_time: [] }, time: {} });
    const deps = { store, queue, log, units: { adapters: [bitrix24Adapter as unknown as AdapterDef], plugins: [] }, limiter: createRateLimiter() };
    expect(await processEvents(deps, account, new AbortController().signal)).toBe(1);
    const acc = store.forAccount(account);
    expect((await acc.get('deals', '759'))?.record).toMatchObject({ amount: '999.99', stageId: 'deal:C9:UC_KN8KFI' });
    expect(await acc.inbox.pending('bitrix24')).toEqual([]);

    const del = body.replace('ONCRMDEALUPDATE', 'ONCRMDEALDELETE').replace('ts=1736405807', 'ts=1736405900');
    expect((await post(`${url}/${account}`, del)).status).toBe(200);
    expect(await processEvents(deps, account, new AbortController().signal)).toBe(1);
    expect((await acc.get('deals', '759'))?.deleted).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refuses installs for private or unanswering domains and stores nothing', async () => {
    const form = (domain: string) =>
      new URLSearchParams({ DOMAIN: domain, AUTH_ID: 'install-access-1', AUTH_EXPIRES: '3600', REFRESH_ID: 'install-refresh-1', member_id: 'a223c6b3710f85df22e9377d6c4f7553', PLACEMENT: 'DEFAULT' }).toString();
    for (const domain of ['127.0.0.1', 'localhost', '10.0.0.5', 'http://portal.example.ru', 'intranet']) {
      const r = await post(`${base()}/install`, form(domain));
      expect(r.status, domain).toBe(400);
    }
    const silent = await post(`${base()}/install`, form('nobody-home.example.ru'));
    expect(silent.status).toBe(400);
    expect(((await silent.json()) as { error: { message: string } }).error.message).toMatch(/does not answer/);
    expect((await store.accounts.list()).map((a) => a.id)).toEqual([account]);
  });

  it('installs from the Marketplace: confirms the token on the portal, seals the tokens, binds events and placements, queues a sync; uninstall stops it', async () => {
    const p = 'https://new-portal.bitrix24.ru';
    const id = 'b24-new-portal.bitrix24.ru';
    const binds: string[] = [];
    nock(p)
      .post('/rest/app.info', (b: { auth: string }) => b.auth === 'install-access-1')
      .reply(200, { result: { ID: 5, CODE: 'local.svodka.1', INSTALLED: false }, time: {} })
      .post('/rest/profile', (b: { auth: string }) => b.auth === 'install-access-1').query(true)
      .reply(200, { result: { ID: '1', ADMIN: true }, time: {} })
      .post('/rest/batch', (b: { cmd: Record<string, string> }) => {
        binds.push(...Object.values(b.cmd));
        return true;
      }).query(true)
      .reply(200, { result: { result: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`e${i}`, true])), result_error: [], result_total: [], result_next: [], result_time: [] }, time: {} })
      .post('/rest/placement.bind').query(true).times(3)
      .reply(200, { result: true, time: {} });
    const r = await post(
      `${base()}/install?DOMAIN=new-portal.bitrix24.ru&PROTOCOL=1&LANG=ru&APP_SID=abc`,
      new URLSearchParams({ AUTH_ID: 'install-access-1', AUTH_EXPIRES: '3600', REFRESH_ID: 'install-refresh-1', member_id: 'b223c6b3710f85df22e9377d6c4f7553', APPLICATION_TOKEN: 'app-token-new-1', SERVER_ENDPOINT: 'https://oauth.bitrix24.tech/rest/' }).toString(),
    );
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('BX24.installFinish');
    expect(nock.pendingMocks()).toEqual([]);
    expect(binds).toHaveLength(16);
    expect(decodeURIComponent(binds.find((b) => b.includes('ONCRMDEALUPDATE'))!)).toContain(`handler=https://svodka.example.com/webhooks/bitrix24/events/${id}`);
    const a = await store.accounts.get(id);
    expect(a).toMatchObject({ kind: 'bitrix24', status: 'active', settings: { portal: p, auth: 'oauth', memberId: 'b223c6b3710f85df22e9377d6c4f7553' } });
    expect((await store.forAccount(id).secrets.read())?.value).toMatchObject({ kind: 'oauth', accessToken: 'install-access-1', refreshToken: 'install-refresh-1', serverEndpoint: 'https://oauth.bitrix24.tech/rest/', applicationToken: 'app-token-new-1' });
    const raw = await store.db.query<{ sealed: string }>('SELECT sealed FROM secrets WHERE account_id = $1', [id]);
    expect(raw.rows[0]!.sealed).not.toContain('install-access-1');

    const uninstall = (token: string) =>
      post(`${base()}/app-events`, new URLSearchParams({ event: 'ONAPPUNINSTALL', 'data[CLEAN]': '0', 'auth[domain]': 'new-portal.bitrix24.ru', 'auth[member_id]': 'b223c6b3710f85df22e9377d6c4f7553', 'auth[application_token]': token }).toString());
    expect((await uninstall('forged-token-000')).status).toBe(401);
    expect((await store.accounts.get(id))?.status).toBe('active');
    expect((await uninstall('app-token-new-1')).status).toBe(200);
    expect((await store.accounts.get(id))?.status).toBe('paused');
    expect(await store.forAccount(id).secrets.read()).toBeUndefined();
  });
});
