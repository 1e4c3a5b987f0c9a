import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { Portal, waits } from '../../adapters/bitrix24/client.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { adapterContext } from '../../src/runtime/context.js';
import { MemorySecrets } from '../../src/runtime/memory-secrets.js';
import { AuthError, ValidationError, type RawPage } from '../../src/sdk/index.js';
import { syncEntity } from '../../src/sync/sync-entity.js';
import { Store } from '../../src/store/index.js';
import { docs } from '../helpers/b24-docs.js';

const portal = 'https://portal.example.ru';
const hookPath = '/rest/1/s3cr3thookkey42';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let store: Store | undefined;

async function context(secrets: unknown, settings: Record<string, unknown> = {}) {
  store ??= await Store.open({ memory: true });
  const config = bitrix24Adapter.config.parse({ portal, auth: 'webhook', perSecond: 50, burst: 50, ...settings });
  const ctx = adapterContext({
    adapter: bitrix24Adapter as never,
    store: store.forAccount('b24-test'),
    config,
    limiter: createRateLimiter(),
    log: silent,
    signal: new AbortController().signal,
  });
  const mem = new MemorySecrets(secrets);
  return Object.assign(ctx, { secrets: mem }) as typeof ctx & { config: typeof config; secrets: MemorySecrets };
}

const webhook = { kind: 'webhook', userId: 1, secret: 's3cr3thookkey42' };

async function pages(it: AsyncIterable<RawPage>): Promise<RawPage[]> {
  const out: RawPage[] = [];
  for await (const p of it) out.push(p);
  return out;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('bitrix24 client on documented responses (nock)', () => {
  it('reads a whole list through the SDK and says it is complete', async () => {
    nock(portal).post(`${hookPath}/crm.status.list`).query(true).reply(200, docs('crm.status.list.json'));
    const ctx = await context(webhook);
    const got = await pages(bitrix24Adapter.pull(ctx as never, 'stages', null));
    expect(got).toHaveLength(1);
    expect(got[0]!.complete).toBe(true);
    expect(got[0]!.items).toHaveLength(8);
    expect(ctx.requests).toBe(1);
  });

  it('backs off on QUERY_LIMIT_EXCEEDED (503) and on an HTML 502, then succeeds; every request is counted', async () => {
    nock(portal)
      .post(`${hookPath}/department.get`).query(true).reply(503, docs('error.query_limit_exceeded.json'))
      .post(`${hookPath}/department.get`).query(true).reply(502, '<html><body>Bad Gateway</body></html>', { 'content-type': 'text/html' })
      .post(`${hookPath}/department.get`).query(true).reply(200, docs('department.get.json'));
    const ctx = await context(webhook);
    const t = Date.now();
    const got = await pages(bitrix24Adapter.pull(ctx as never, 'departments', null));
    expect(got[0]!.items).toHaveLength(5);
    expect(ctx.requests).toBe(3);
    expect(Date.now() - t).toBeGreaterThanOrEqual(1000);
  }, 20_000);

  it('fails at once, with the portal message and without the key, on insufficient_scope', async () => {
    nock(portal).post(`${hookPath}/department.get`).query(true).reply(401, docs('error.insufficient_scope.json'));
    const ctx = await context(webhook);
    const e = await pages(bitrix24Adapter.pull(ctx as never, 'departments', null)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuthError);
    expect((e as Error).message).toMatch(/insufficient_scope/);
    expect((e as Error).message).not.toContain('s3cr3thookkey42');
    expect(ctx.requests).toBe(1);
  });

  it('parses batch answers per command, errors included', async () => {
    nock(portal).post(`${hookPath}/batch`).query(true).reply(200, docs('batch.json'));
    const ctx = await context(webhook);
    const p = await Portal.open(ctx as never);
    const b = await p.batch({ get_user: ['user.current', {}], get_department: ['department.get', { ID: 1 }] });
    expect((b.results.get_user!.result as { NAME: string }).NAME).toBe('John');
    expect(b.results.get_department!.total).toBe(1);
    nock(portal).post(`${hookPath}/batch`).query(true).reply(200, docs('batch.error.halt0.json'));
    await expect(p.batch({ get_user: ['user.current', {}], get_department: ['department.get', {}] })).rejects.toThrow(/insufficient_scope/);
  });

  it('refreshes an expired OAuth token once at the server the portal named, stores the new pair, and retries', async () => {
    const oauth = {
      kind: 'oauth',
      accessToken: 'old-access-token-1',
      refreshToken: 'old-refresh-token-1',
      expires: Math.floor(Date.now() / 1000) + 3600,
      clientId: 'app.123',
      clientSecret: 'client-secret-1',
      serverEndpoint: 'https://oauth.example.tech/rest/',
    };
    const token = docs<Record<string, unknown>>('oauth.token.json');
    nock(portal)
      .post('/rest/profile', (b: Record<string, unknown>) => b.auth === 'old-access-token-1').query(true)
      .reply(401, docs('error.expired_token.json'))
      .post('/rest/profile', (b: Record<string, unknown>) => b.auth === token.access_token).query(true)
      .reply(200, { result: { ID: '1', ADMIN: true }, time: {} });
    nock('https://oauth.example.tech')
      .get('/oauth/token/')
      .query((q) => q.grant_type === 'refresh_token' && q.refresh_token === 'old-refresh-token-1' && q.client_secret === 'client-secret-1')
      .reply(200, token);
    const ctx = await context(oauth, { auth: 'oauth', memberId: token.member_id });
    await bitrix24Adapter.check(ctx as never);
    const stored = await ctx.secrets.read();
    expect(stored?.version).toBe(2);
    expect(stored?.value).toMatchObject({ accessToken: token.access_token, refreshToken: token.refresh_token });
    const expires = (stored?.value as { expires: number }).expires - Date.now() / 1000;
    expect(expires).toBeGreaterThan(3500);
    expect(expires).toBeLessThanOrEqual(3600);
  });

  it('retries an empty 200 body like an outage', async () => {
    nock(portal)
      .post(`${hookPath}/department.get`).query(true).reply(200, '')
      .post(`${hookPath}/department.get`).query(true).reply(200, docs('department.get.json'));
    const ctx = await context(webhook);
    const got = await pages(bitrix24Adapter.pull(ctx as never, 'departments', null));
    expect(got[0]!.items).toHaveLength(5);
    expect(ctx.requests).toBe(2);
  }, 20_000);

  it('refuses a page with an unusable item with a clear error, storing nothing of it and keeping the cursor', async () => {
    const good = docs<{ result: { item: Record<string, unknown> } }>('crm.item.add.deal.json').result.item;
    const broken: Record<string, unknown> = { ...good, id: 343 };
    delete broken.createdTime;
    // A portal answers every command of the batch; those after a short page find nothing.
    const rest = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`p${i + 1}`, { items: [] }]));
    const page = (items: unknown[]) => ({ result: { result: { p0: { items }, ...rest }, result_error: [], result_total: [], result_next: [], result_time: [] }, time: {} });
    nock(portal)
      .post(`${hookPath}/server.time`).query(true).reply(200, { result: '2026-11-23T10:00:00+03:00', time: {} })
      .post(`${hookPath}/batch`).query(true).reply(200, page([good, broken]));
    const ctx = await context(webhook);
    await store!.accounts.save({ id: 'b24-test', kind: 'bitrix24', name: 'test', settings: {} });
    const acc = store!.forAccount('b24-test');
    const e = await syncEntity({ store: acc, adapter: bitrix24Adapter as never, ctx: ctx as never, entity: 'deals' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as Error).message).toMatch(/bitrix24 deals: item #1 of page 1 cannot be mapped.*createdTime/s);
    expect(await acc.count('deals')).toBe(0);
    expect(await acc.cursor('bitrix24', 'deals')).toBeNull();
  });

  it('keeps the pages before a limit hit half-way through a batch, waits it out, and goes on from there', async () => {
    const item = (id: number) => ({ ID: String(id), OWNER_TYPE_ID: '2', OWNER_ID: '1', TYPE_ID: '2', COMPLETED: 'N', CREATED: '2026-01-01T10:00:00+03:00', LAST_UPDATED: '2026-01-01T10:00:00+03:00' });
    const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => item(from + i));
    const stopped = {
      result: {
        result: { p0: page(1, 50), p1: page(51, 50) },
        result_error: Object.fromEntries(Array.from({ length: 48 }, (_, i) => [`p${i + 2}`, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' }])),
        result_total: [], result_next: [], result_time: [],
      },
      time: {},
    };
    const rest = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`p${i + 1}`, []]));
    const last = { result: { result: { p0: page(101, 20), ...rest }, result_error: [], result_total: [], result_next: [], result_time: [] }, time: {} };
    const seen: string[] = [];
    nock(portal)
      .post(`${hookPath}/server.time`).query(true).reply(200, { result: '2026-11-23T10:00:00+03:00', time: {} })
      .post(`${hookPath}/batch`, (b: { cmd: Record<string, string> }) => { seen.push(decodeURIComponent(b.cmd.p0!)); return true; }).query(true).reply(200, stopped)
      .post(`${hookPath}/batch`, (b: { cmd: Record<string, string> }) => { seen.push(decodeURIComponent(b.cmd.p0!)); return true; }).query(true).reply(200, last)
      // Then the first incremental pass: nothing changed since.
      .post(`${hookPath}/batch`).query(true).reply(200, { result: { result: { ties: [], later: [] }, result_error: [], result_total: [], result_next: [], result_time: [] }, time: {} });
    const ctx = await context(webhook);
    const before = waits.operatingMs;
    waits.operatingMs = 50;
    try {
      const got = await pages(bitrix24Adapter.pull(ctx as never, 'activities', null));
      expect(got.map((p) => p.items.length)).toEqual([100, 20, 0]);
      expect(got[0]!.cursor).toMatchObject({ phase: 'full', afterId: 100 });
      // The second batch starts after the last kept id.
      expect(seen[1]).toContain('filter[>ID]=100');
    } finally {
      waits.operatingMs = before;
    }
  });
});
