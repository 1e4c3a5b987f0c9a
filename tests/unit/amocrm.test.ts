import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Amo } from '../../adapters/amocrm/client.js';
import { amocrmAdapter } from '../../adapters/amocrm/index.js';
import { mapDeal, mapStage, mapUser, mapContact } from '../../adapters/amocrm/map.js';
import { entities } from '../../src/model/index.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { adapterContext } from '../../src/runtime/context.js';
import { MemorySecrets } from '../../src/runtime/memory-secrets.js';
import { Store } from '../../src/store/index.js';
import { readFileSync } from 'node:fs';

const docs = <T = Record<string, unknown>>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/amocrm/docs/${name}`, import.meta.url), 'utf8')) as T;
const base = 'https://example.amocrm.ru';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
let store: Store | undefined;

async function context(secrets: unknown) {
  store ??= await Store.open({ memory: true });
  const config = amocrmAdapter.config.parse({ baseUrl: base });
  const ctx = adapterContext({ adapter: amocrmAdapter as never, store: store.forAccount('amo-test'), config, limiter: createRateLimiter(), log: silent, signal: new AbortController().signal, retries: 2, minBackoffMs: 10 });
  return Object.assign(ctx, { secrets: new MemorySecrets(secrets) }) as typeof ctx & { secrets: MemorySecrets; config: typeof config };
}
const longLived = { kind: 'long-lived', token: 'long-lived-token-0123456789' };

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('amoCRM mapping of documented responses', () => {
  it('maps leads to deals: exact price, stage by pipeline and status, seconds to UTC', () => {
    const lead = docs<{ _embedded: { leads: Record<string, unknown>[] } }>('leads.json')._embedded.leads[0]!;
    const d = mapDeal({ ...lead, svodkaCurrency: 'RUB' });
    expect(d).toMatchObject({ externalId: '19619', amount: '46333', stageId: '1300:142', pipelineId: '1300', responsibleId: '123321', createdAt: '2016-01-20T08:46:47.000Z', closedAt: '2016-12-29T10:05:31.000Z' });
    expect(entities.deals.schema.safeParse({ ...d, accountId: 'a' }).success).toBe(true);
    expect(mapDeal({ ...lead, price: '1 500,50', svodkaCurrency: 'RUB' }).amount).toBe('1500.50');
    expect(() => mapDeal({ ...lead, price: 'дорого', svodkaCurrency: 'RUB' })).toThrow(/not a price/);
  });

  it('reads UTM marks from tracking fields, by code or by the field ids the account uses', () => {
    const lead = docs<{ _embedded: { leads: Record<string, unknown>[] } }>('leads.json')._embedded.leads[0]!;
    const fields = [
      { field_id: 501, field_code: 'UTM_SOURCE', field_type: 'tracking_data', values: [{ value: 'yandex' }] },
      { field_id: 502, field_code: null, field_type: 'tracking_data', values: [{ value: 'cpc' }] },
      { field_id: 503, field_code: 'YCLID', field_type: 'tracking_data', values: [{ value: '123456' }] },
    ];
    const d = mapDeal({ ...lead, custom_fields_values: fields, svodkaCurrency: 'RUB', svodkaFieldCodes: { '502': 'UTM_MEDIUM' } });
    expect(d).toMatchObject({ utmSource: 'yandex', utmMedium: 'cpc', visitorIds: { yclid: '123456' } });
  });

  it('won is 142 and lost is 143 in every pipeline; users active or not', () => {
    const p = docs<{ _embedded: { pipelines: { _embedded: { statuses: Record<string, unknown>[] } }[] } }>('pipelines.json')._embedded.pipelines[0]!;
    const stages = p._embedded.statuses.map(mapStage);
    expect(stages.map((s) => [s.externalId, s.semantics])).toEqual([
      ['3177727:32392156', 'open'], ['3177727:32392159', 'open'], ['3177727:32392165', 'open'], ['3177727:142', 'won'], ['3177727:143', 'lost'],
    ]);
    const users = docs<{ _embedded: { users: Record<string, unknown>[] } }>('users.json')._embedded.users.map(mapUser);
    expect(users[0]).toMatchObject({ externalId: '123123', active: true });
    expect(mapUser({ id: 5, name: 'Уволен', rights: { is_active: false } }).active).toBe(false);
    const c = mapContact(docs<{ _embedded: { contacts: Record<string, unknown>[] } }>('contacts.json')._embedded.contacts[0]);
    expect(c).toMatchObject({ externalId: '7143599', phones: [], createdAt: '2020-04-01T16:21:05.000Z' });
  });
});

describe('amoCRM client (nock)', () => {
  it('follows _links.next and stops at 204', async () => {
    nock(base)
      .get('/api/v4/leads').query((q) => q.page === '1').reply(200, docs('leads.json'))
      .get('/api/v4/leads').query((q) => q.page === '2').reply(204);
    const amo = new Amo(await context(longLived));
    const pages = [];
    for await (const p of amo.pages('/api/v4/leads', 'leads')) pages.push(p.items.length);
    expect(pages).toEqual([2]);
  });

  it('backs off on 429 and 504; stops with a clear status on the HTML 403 block', async () => {
    nock(base)
      .get('/api/v4/account').reply(429, '')
      .get('/api/v4/account').reply(504, '<html>gateway</html>', { 'content-type': 'text/html' })
      .get('/api/v4/account').reply(200, docs('account.json'));
    const amo = new Amo(await context(longLived));
    expect((await amo.request<{ subdomain: string }>('GET', '/api/v4/account')).data.subdomain).toBe('example');
    nock(base).get('/api/v4/users').query(true).reply(403, '<html><body>Access denied</body></html>', { 'content-type': 'text/html' });
    await expect(amo.request('GET', '/api/v4/users', { query: { page: 1 } })).rejects.toMatchObject({ code: 'account_blocked', retryable: false });
  });

  it('refreshes an expiring token exactly once under 20 concurrent requests, and stores the rotated pair', async () => {
    const oauth = {
      kind: 'oauth',
      accessToken: 'old-access-token-0123456789',
      refreshToken: 'old-refresh-token-0123456789',
      expires: Math.floor(Date.now() / 1000) + 60,
      clientId: 'client-1',
      clientSecret: 'secret-1',
      redirectUri: 'https://svodka.example.com/webhooks/amocrm/install',
    };
    // The documented answer, with tokens of a realistic length.
    const answer = { ...docs('oauth.access_token.json'), access_token: 'new-access-token-0123456789', refresh_token: 'new-refresh-token-0123456789' };
    let refreshes = 0;
    nock(base)
      .post('/oauth2/access_token', (b: Record<string, string>) => {
        refreshes += 1;
        return b.grant_type === 'refresh_token' && b.refresh_token === 'old-refresh-token-0123456789';
      })
      .reply(200, answer)
      .get('/api/v4/account').times(20).matchHeader('authorization', 'Bearer new-access-token-0123456789').reply(200, docs('account.json'));
    const ctx = await context(oauth);
    const amo = new Amo(ctx);
    await Promise.all(Array.from({ length: 20 }, () => amo.request('GET', '/api/v4/account')));
    expect(refreshes).toBe(1);
    expect((await ctx.secrets.read())?.value).toMatchObject({ accessToken: 'new-access-token-0123456789', refreshToken: 'new-refresh-token-0123456789' });
  });

  it('on a 401 re-reads the token and retries once; a spent refresh token is a clear auth error', async () => {
    const oauth = { kind: 'oauth', accessToken: 'revoked-access-0123456789', refreshToken: 'spent-refresh-0123456789', expires: Math.floor(Date.now() / 1000) + 3600, clientId: 'c', clientSecret: 's', redirectUri: 'https://svodka.example.com/x' };
    nock(base)
      .get('/api/v4/account').reply(401, { title: 'Unauthorized', status: 401 })
      .post('/oauth2/access_token').reply(400, { hint: 'Token has been revoked', title: 'Некорректный запрос', status: 400, detail: 'Refresh token has been revoked' });
    const amo = new Amo(await context(oauth));
    await expect(amo.request('GET', '/api/v4/account')).rejects.toThrow(/refused to refresh the token/);
  });
});
