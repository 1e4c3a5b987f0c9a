import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { B24Hook, B24OAuth, EnumAppStatus } from '@bitrix24/b24jssdk';
import qs from 'qs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateData, startBitrix24Sandbox, type Bitrix24Sandbox } from '../../src/sandbox/bitrix24/index.js';

type Json = Record<string, unknown>;

async function post(url: string, body: Json | string, form = false): Promise<{ status: number; body: Json }> {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Json };
}

describe('Bitrix24 sandbox portal', () => {
  let sb: Bitrix24Sandbox;
  let b24: B24Hook;

  beforeAll(async () => {
    expect(process.env.NODE_EXTRA_CA_CERTS, 'run with tests/global-setup.ts so the sandbox CA is trusted').toBeTruthy();
    sb = await startBitrix24Sandbox({ seed: 7, deals: 620, contacts: 120, leads: 80, activities: 900, burst: 1000, perSecond: 1000 });
    b24 = B24Hook.fromWebhookUrl(sb.webhookUrl);
    b24.offClientSideWarning();
  });
  afterAll(async () => {
    await sb?.close();
  });

  it('pages list methods by 50 with total and next', async () => {
    const first = await b24.actions.v2.call.make({ method: 'crm.item.list', params: { entityTypeId: 2, select: ['id', 'title', 'stageId', 'opportunity', 'updatedTime'] } });
    expect(first.isSuccess).toBe(true);
    const items = (first.getData()?.result as { items: Json[] }).items;
    expect(items).toHaveLength(50);
    expect(first.getTotal()).toBe(620);
    expect(first.isMore()).toBe(true);
    expect(items[0]).toMatchObject({ id: 1 });
    expect(String(items[0]?.updatedTime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+03:00$/);
    const last = await post(`${sb.webhookUrl}/crm.item.list`, { entityTypeId: 2, start: 600, select: ['id'] });
    expect(last.body.total).toBe(620);
    expect(last.body.next).toBeUndefined();
    expect((last.body.result as { items: Json[] }).items).toHaveLength(20);
  });

  it('fast-pages with start=-1 and >id: no total, no next, every row once', async () => {
    const raw = await post(`${sb.webhookUrl}/crm.item.list`, { entityTypeId: 2, start: -1, order: { id: 'ASC' }, filter: { '>id': 0 } });
    expect(raw.body).not.toHaveProperty('total');
    expect(raw.body).not.toHaveProperty('next');
    const all = await b24.actions.v2.callList.make<{ id: number }>({ method: 'crm.item.list', params: { entityTypeId: 2, select: ['id'] }, idKey: 'id', customKeyForResult: 'items' });
    expect(all.isSuccess).toBe(true);
    const ids = all.getData() ?? [];
    expect(ids).toHaveLength(620);
    expect(new Set(ids.map((r) => r.id)).size).toBe(620);
    const acts = await b24.actions.v2.callList.make<{ ID: string }>({ method: 'crm.activity.list', params: { filter: { OWNER_TYPE_ID: 2 } } });
    expect(acts.getData()?.length).toBe(sb.data.activities.rows.filter((a) => a.ownerTypeId === 2).length);
  });

  it('runs a batch of 50 and refuses the 51st command', async () => {
    const calls = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`d${i}`, { method: 'crm.item.get', params: { entityTypeId: 2, id: i + 1 } }]));
    sb.resetStats();
    const ok = await b24.actions.v2.batch.make({ calls, options: { isHaltOnError: true } });
    expect(ok.isSuccess).toBe(true);
    expect(sb.stats()).toMatchObject({ requests: 1, batchCommands: 50 });
    const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`d${i}`, `crm.item.get?entityTypeId=2&id=${i + 1}`]));
    const big = await post(`${sb.webhookUrl}/batch`, { halt: 0, cmd });
    const r = big.body.result as { result: Json; result_error: Json };
    expect(Object.keys(r.result)).toHaveLength(50);
    expect(r.result_error).toEqual({ d50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' } });
  });

  it('answers form-encoded requests and .json suffixes like a portal', async () => {
    const body = qs.stringify({ entityTypeId: 2, filter: { '>id': 5, '<=id': 7 }, select: ['id', 'stageId'], start: -1 });
    const r = await post(`${sb.webhookUrl}/crm.item.list.json`, body, true);
    expect(r.status).toBe(200);
    expect((r.body.result as { items: Json[] }).items.map((i) => i.id)).toEqual([6, 7]);
    expect((r.body.time as Json).operating).toBeTypeOf('number');
    expect(await post(`${sb.webhookUrl}/crm.nothing.here`, {})).toEqual({ status: 404, body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } });
    const wrong = await post(sb.webhookUrl.replace(/\/[^/]+$/, '/wrongsecret') + '/profile', {});
    expect(wrong).toEqual({ status: 401, body: { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' } });
  });

  it('posts the documented form payload to online handlers and queues offline events', async () => {
    const got: Json[] = [];
    const hook: Server = createServer((req, res) => {
      let s = '';
      req.on('data', (d: Buffer) => (s += d.toString()));
      req.on('end', () => {
        got.push(qs.parse(s) as Json);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const handler = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/b24`;
    try {
      expect((await b24.actions.v2.call.make({ method: 'event.bind', params: { event: 'ONCRMDEALUPDATE', handler } })).isSuccess).toBe(true);
      await b24.actions.v2.call.make({ method: 'event.bind', params: { event: 'ONCRMDEALADD', event_type: 'offline' } });
      const before = sb.data.deals.get(3)?.updatedTime ?? 0;
      sb.updateDeal(3, { stageId: 'WON', categoryId: 0 });
      const id = sb.addDeal({ title: 'Из теста', opportunity: 1234.5 });
      await sb.settleEvents();
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ event: 'ONCRMDEALUPDATE', data: { FIELDS: { ID: '3' } }, auth: { application_token: sb.applicationToken, member_id: sb.memberId, client_endpoint: `${sb.origin}/rest/`, server_endpoint: `${sb.origin}/rest/` } });
      expect(sb.data.deals.get(3)?.updatedTime).toBeGreaterThanOrEqual(before);
      const hist = await post(`${sb.webhookUrl}/crm.stagehistory.list`, { entityTypeId: 2, filter: { OWNER_ID: 3 }, order: { ID: 'DESC' } });
      expect((hist.body.result as { items: Json[] }).items[0]).toMatchObject({ OWNER_ID: 3, STAGE_ID: 'WON', STAGE_SEMANTIC_ID: 'S', TYPE_ID: 3 });
      const off = await b24.actions.v2.call.make({ method: 'event.offline.get', params: { clear: 0 } });
      const res = off.getData()?.result as { process_id: string; events: Json[] };
      expect(res.events).toHaveLength(1);
      expect(res.events[0]).toMatchObject({ EVENT_NAME: 'ONCRMDEALADD', EVENT_DATA: { FIELDS: { ID: id } } });
      expect((await b24.actions.v2.call.make({ method: 'event.offline.clear', params: { process_id: res.process_id } })).isSuccess).toBe(true);
      const empty = await b24.actions.v2.call.make({ method: 'event.offline.get', params: {} });
      expect((empty.getData()?.result as { events: Json[] }).events).toHaveLength(0);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });

  it('expires tokens with 401 expired_token; refresh rotates and a spent refresh token is rejected', async () => {
    const t = sb.oauth.issue();
    expect((await post(`${sb.origin}/rest/profile`, { auth: t.access_token })).status).toBe(200);
    expect(await post(`${sb.origin}/rest/profile`, { auth: 'nope' })).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    sb.expireTokens();
    expect(await post(`${sb.origin}/rest/profile`, { auth: t.access_token })).toMatchObject({ status: 401, body: { error: 'expired_token' } });
    const q = { grant_type: 'refresh_token', client_id: sb.oauth.clientId, client_secret: sb.oauth.clientSecret, refresh_token: t.refresh_token };
    const fresh = (await (await fetch(`${sb.origin}/oauth/token/?${new URLSearchParams(q)}`)).json()) as Json;
    expect(fresh).toMatchObject({ server_endpoint: `${sb.origin}/rest/`, client_endpoint: `${sb.origin}/rest/`, member_id: sb.memberId, expires_in: 3600 });
    expect(fresh.refresh_token).not.toBe(t.refresh_token);
    const again = await fetch(`${sb.origin}/oauth/token/?${new URLSearchParams(q)}`);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });

    // The SDK itself recovers: on expired_token it refreshes at the server_endpoint and retries.
    const t2 = sb.oauth.issue();
    const app = new B24OAuth(
      { applicationToken: sb.applicationToken, userId: 1, memberId: sb.memberId, accessToken: t2.access_token, refreshToken: t2.refresh_token, expires: t2.expires, expiresIn: t2.expires_in, scope: t2.scope, domain: t2.domain, clientEndpoint: t2.client_endpoint, serverEndpoint: t2.server_endpoint, status: EnumAppStatus.Local },
      { clientId: sb.oauth.clientId, clientSecret: sb.oauth.clientSecret },
    );
    app.offClientSideWarning();
    sb.expireTokens();
    const r = await app.actions.v2.call.make({ method: 'server.time' });
    expect(r.isSuccess).toBe(true);
    expect(await post(`${sb.origin}/oauth/token/`, qs.stringify({ ...q, refresh_token: t2.refresh_token }), true)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('generates the same portal from the same seed', () => {
    const o = { seed: 3, managers: 5, dismissed: 2, departments: 3, deals: 300, leads: 50, contacts: 80, companies: 20, activities: 400, products: 10, warehouses: 2, pipelines: 3, anchor: Date.UTC(2026, 0, 1) };
    const a = generateData(o);
    const b = generateData(o);
    const c = generateData({ ...o, seed: 4 });
    expect(JSON.stringify(a.deals.rows)).toBe(JSON.stringify(b.deals.rows));
    expect(JSON.stringify(a.activities.rows)).toBe(JSON.stringify(b.activities.rows));
    expect(JSON.stringify(a.deals.rows)).not.toBe(JSON.stringify(c.deals.rows));
    for (const d of a.deals.rows) expect(d.updatedTime).toBeGreaterThanOrEqual(d.createdTime);
    expect(a.deals.rows.some((d) => !a.users.get(d.assignedById)?.active)).toBe(true);
  });
});

describe('Bitrix24 sandbox limits', () => {
  it('answers QUERY_LIMIT_EXCEEDED (503) above the burst and counts it', async () => {
    const sb = await startBitrix24Sandbox({ deals: 20, burst: 50, perSecond: 2 });
    try {
      const b24 = B24Hook.fromWebhookUrl(sb.webhookUrl, {
        restrictionParams: { maxRetries: 1, rateLimit: { burstLimit: 10_000, drainRate: 10_000, adaptiveEnabled: false }, adaptiveConfig: { enabled: false, thresholdPercent: 100, coefficient: 0, maxDelay: 0 } },
      });
      b24.offClientSideWarning();
      const codes: string[] = await Promise.all(
        Array.from({ length: 60 }, () =>
          b24.actions.v2.call.make({ method: 'server.time' }).then(
            (r) => (r.isSuccess ? 'ok' : String(r.getErrorMessages()[0])),
            (e: { code?: string; status?: number }) => `${e.code}:${e.status}`,
          ),
        ),
      );
      expect(codes.filter((c) => c === 'QUERY_LIMIT_EXCEEDED:503').length).toBeGreaterThan(0);
      expect(codes.filter((c) => c === 'ok').length).toBeGreaterThanOrEqual(50);
      expect(sb.stats().limited).toBeGreaterThan(0);
    } finally {
      await sb.close();
    }
  });

  it('blocks a method over its operating-time budget with OPERATION_TIME_LIMIT (429)', async () => {
    const sb = await startBitrix24Sandbox({ deals: 200, operatingLimitS: 0.3 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await post(`${sb.webhookUrl}/crm.item.list`, { entityTypeId: 2 })).status);
      expect(statuses).toContain(429);
      const blocked = await post(`${sb.webhookUrl}/crm.item.list`, { entityTypeId: 2 });
      expect(blocked.body).toEqual({ error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' });
      // Other methods keep working.
      expect((await post(`${sb.webhookUrl}/server.time`, {})).status).toBe(200);
    } finally {
      await sb.close();
    }
  });
});
