import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/queue/index.js';
import { createHttpClient } from '../../src/runtime/http-client.js';
import { RateLimitedError, SvodkaError, TransientError } from '../../src/sdk/errors.js';

const base = 'https://portal.example.ru';
const hook = `${base}/rest/1/s3cr3thooktoken`;

const client = (over: Partial<Parameters<typeof createHttpClient>[0]> = {}) =>
  createHttpClient({ account: 'acc-1', limiter: createRateLimiter(), limit: { perSecond: 100 }, retries: 3, minBackoffMs: 20, ...over });

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('adapter HTTP client', () => {
  it('sends nothing once shutdown began, and leaves the work retryable for later', async () => {
    const stop = new AbortController();
    stop.abort();
    // No interceptor: a request that went out would fail on nock's disabled network instead.
    const e = await client({ signal: stop.signal }).request({ method: 'GET', url: `${base}/api/v4/leads` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SvodkaError);
    expect(e).toMatchObject({ code: 'aborted', retryable: true });
  });

  it('retries 5xx and timeouts with backoff, then returns the answer', async () => {
    nock(base)
      .post('/rest/1/s3cr3thooktoken/crm.deal.list', 'start=0')
      .reply(503, { error: 'internal' })
      .post('/rest/1/s3cr3thooktoken/crm.deal.list', 'start=0')
      .delay(400)
      .reply(200, { late: true })
      .post('/rest/1/s3cr3thooktoken/crm.deal.list', 'start=0')
      .reply(200, { result: [{ ID: '1' }], total: 1 });
    const r = await client().request<{ total: number }>({
      method: 'POST',
      url: `${hook}/crm.deal.list`,
      form: { start: '0' },
      timeoutMs: 150,
    });
    expect(r.data.total).toBe(1);
  });

  it('waits what a 429 asks for before trying again', async () => {
    nock(base).get('/api/v4/leads').reply(429, 'Too Many Requests', { 'Retry-After': '1' }).get('/api/v4/leads').reply(200, { _embedded: {} });
    const t = Date.now();
    await client().request({ url: `${base}/api/v4/leads` });
    expect(Date.now() - t).toBeGreaterThanOrEqual(990);
  });

  it('fails a 4xx at once, with the body and without the webhook secret', async () => {
    nock(base).post('/rest/1/s3cr3thooktoken/crm.deal.add').reply(400, { error: 'ERROR_CORE', error_description: 'Неверный ID стадии' });
    const e = await client()
      .request({ method: 'POST', url: `${hook}/crm.deal.add`, body: {} })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SvodkaError);
    expect(e).toMatchObject({ code: 'http_400', retryable: false });
    expect((e as Error).message).toContain('Неверный ID стадии');
    expect((e as Error).message).not.toContain('s3cr3thooktoken');
  });

  it('lets the adapter read its own signals first, and gives up retrying with a retryable error', async () => {
    nock(base).post('/rest/1/s3cr3thooktoken/batch').times(2).reply(503, { error: 'QUERY_LIMIT_EXCEEDED' });
    const e = await client({
      retries: 1,
      classify: (res) =>
        (res.data as { error?: string }).error === 'QUERY_LIMIT_EXCEEDED' ? new RateLimitedError('portal limit', { retryAfterMs: 50 }) : undefined,
    })
      .request({ method: 'POST', url: `${hook}/batch` })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RateLimitedError);
    expect((e as SvodkaError).retryable).toBe(true);
  });

  it('holds every request to the account limit', async () => {
    nock(base).get('/ping').times(9).reply(200, 'ok');
    const c = client({ limit: { perSecond: 4 } });
    const t = Date.now();
    await Promise.all(Array.from({ length: 9 }, () => c.request({ url: `${base}/ping` })));
    // A bucket of 4 draining 4 per second: 4 at once, the other 5 a quarter second apart.
    expect(Date.now() - t).toBeGreaterThanOrEqual(1200);
  });

  it('classifies a 500 without retries left as transient', async () => {
    nock(base).get('/x').reply(500, '<html>oops</html>');
    const e = await client({ retries: 0 }).request({ url: `${base}/x` }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransientError);
    expect((e as Error).message).toBe('GET https://portal.example.ru/x answered 500: <html>oops</html>');
  });
});
