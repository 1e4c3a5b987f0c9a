import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type Probe } from '../../src/http/app.js';
import type { ErrorBody } from '../../src/http/errors.js';
import { createLogger } from '../../src/log/logger.js';
import { ValidationError } from '../../src/sdk/errors.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(probes: Probe[], shuttingDown = false): Promise<string> {
  const app = createApp({
    log: createLogger('silent'),
    probes,
    isShuttingDown: () => shuttingDown,
    mount: (a) => {
      a.get('/boom', () => {
        throw new Error('db password=hunter2 exploded');
      });
      a.post('/echo', (req) => {
        throw new ValidationError('deal', [`amount: ${String((req.body as { amount?: unknown }).amount)} is not a decimal`]);
      });
    },
  });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server!.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const ok: Probe = { name: 'database', check: async () => {} };
const down: Probe = {
  name: 'queue',
  check: async () => {
    throw new Error('ECONNREFUSED');
  },
};

describe('HTTP server', () => {
  it('answers /healthz and /readyz when its dependencies answer', async () => {
    const url = await serve([ok]);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('is not ready when a dependency is down, or while shutting down', async () => {
    const url = await serve([ok, down]);
    const r = await fetch(`${url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'not_ready', checks: { database: 'ok', queue: 'unreachable' } });
    await new Promise<void>((res) => server!.close(() => res()));
    const url2 = await serve([ok], true);
    expect((await fetch(`${url2}/readyz`)).status).toBe(503);
  });

  it('keeps a valid request id and makes one otherwise', async () => {
    const url = await serve([ok]);
    const given = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers errors as JSON with stable codes, and hides unexpected details', async () => {
    const url = await serve([ok]);
    const boom = await fetch(`${url}/boom`, { headers: { 'x-request-id': 'r1' } });
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: { code: 'internal', message: 'internal error', requestId: 'r1' } });
    const bad = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"amount":"1,5"}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).error).toMatchObject({ code: 'validation_failed', message: 'deal: amount: 1,5 is not a decimal' });
    const json = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(json.status).toBe(400);
    expect(((await json.json()) as ErrorBody).error.code).toBe('bad_json');
    const missing = await fetch(`${url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.code).toBe('not_found');
  });
});
