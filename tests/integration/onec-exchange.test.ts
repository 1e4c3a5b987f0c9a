import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/log/logger.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { registerJobs } from '../../src/runtime/jobs.js';
import { Store } from '../../src/store/index.js';
import { mountWebhooks } from '../../webhooks/index.js';
import { loadEnv } from '../../src/config/env.js';
import { storedZip } from '../helpers/zip.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/onec/${name}`, import.meta.url));
const log = createLogger('silent');
const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

describe('1C exchange protocol, played as 1C plays it', () => {
  let store: Store;
  let queue: MemoryQueue;
  let server: Server;
  let base: string;
  const password = 'Pa55word-for-1C-42';

  beforeAll(async () => {
    store = await Store.open({ memory: true });
    queue = new MemoryQueue(2);
    for (const id of ['onec-main', 'onec-other']) {
      await store.accounts.save({ id, kind: 'onec', name: id, settings: { login: '1c-exchange' } });
      await store.forAccount(id).secrets.write({ password, hmacKey: 'k'.repeat(40) });
    }
    const abort = new AbortController();
    const deps = { store, queue, log, units: { adapters: [], plugins: [] }, limiter: createRateLimiter() };
    registerJobs(deps, abort.signal);
    await queue.start();
    const env = loadEnv({});
    const app = createApp({ log, probes: [], isShuttingDown: () => false, mount: (a) => mountWebhooks(a, { ...deps, env, signal: abort.signal }) });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/onec`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await queue.close(1000);
    await store.close();
  });

  const call = async (account: string, query: string, init: RequestInit = {}) => {
    const r = await fetch(`${base}/${account}/exchange?${query}`, init);
    expect(r.status).toBe(200);
    return (await r.text()).trimEnd().split('\n');
  };

  it('refuses wrong credentials, and any step without an open session', async () => {
    expect((await call('onec-main', 'type=catalog&mode=checkauth', { headers: { authorization: basic('1c-exchange', 'wrong') } }))[0]).toBe('failure');
    expect((await call('onec-main', 'type=catalog&mode=checkauth'))[0]).toBe('failure');
    expect((await call('onec-main', 'type=catalog&mode=init'))[0]).toBe('failure');
    expect((await call('onec-nobody', 'type=catalog&mode=checkauth', { headers: { authorization: basic('1c-exchange', password) } }))[0]).toBe('failure');
  });

  it('checkauth, init, a zip in three chunks, import polled until success; a replayed session is refused', async () => {
    const auth = await call('onec-main', 'type=catalog&mode=checkauth', { headers: { authorization: basic('1c-exchange', password) } });
    expect(auth[0]).toBe('success');
    expect(auth[1]).toBe('svodka_1c');
    const cookie = { cookie: `${auth[1]}=${auth[2]}` };
    expect(auth.slice(3).join('\n')).toMatch(/^sessid=\w+\ntimestamp=\d+$/);

    const init = await call('onec-main', 'type=catalog&mode=init', { headers: cookie });
    expect(init).toEqual(['zip=yes', 'file_limit=8388608', `sessid=${auth[2]}`, 'version=3.1']);

    // A windows-1251 classifier and an offers package in one archive, sent in three parts as 1C splits it.
    const zip = storedZip([
      { name: 'import_cp1251.xml', data: fixture('import_cp1251.xml') },
      { name: 'offers0_1.xml', data: fixture('offers0_1.xml') },
    ]);
    const third = Math.ceil(zip.length / 3);
    for (let i = 0; i < 3; i++) {
      const part = zip.subarray(i * third, (i + 1) * third);
      expect(await call('onec-main', 'type=catalog&mode=file&filename=upload.zip', { method: 'POST', headers: cookie, body: part })).toEqual(['success']);
    }

    for (const file of ['import_cp1251.xml', 'offers0_1.xml']) {
      const seen: string[] = [];
      for (let i = 0; i < 100; i++) {
        const r = await call('onec-main', `type=catalog&mode=import&filename=${file}`, { headers: cookie });
        seen.push(r[0]!);
        if (r[0] !== 'progress') break;
        await new Promise((res) => setTimeout(res, 50));
      }
      expect(seen[0]).toBe('progress');
      expect(seen.at(-1)).toBe('success');
    }
    const acc = store.forAccount('onec-main');
    expect(await acc.count('price_types')).toBe(2);
    expect(await acc.count('prices')).toBe(3);
    expect(await acc.count('stock')).toBe(3);
    expect(await store.forAccount('onec-other').count('prices')).toBe(0);

    // Pictures are acknowledged and ignored.
    expect(await call('onec-main', 'type=catalog&mode=import&filename=import_files/ab/pic.jpg', { headers: cookie })).toEqual(['success']);
    expect(await call('onec-main', 'type=catalog&mode=complete', { headers: cookie })).toEqual(['success']);
    const replay = await call('onec-main', 'type=catalog&mode=import&filename=offers0_1.xml', { headers: cookie });
    expect(replay[0]).toBe('failure');
    // Nor does one account's session open another's.
    expect((await call('onec-other', 'type=catalog&mode=init', { headers: cookie }))[0]).toBe('failure');
  }, 30_000);

  it('answers failure with the reason when a file is malformed, and applies nothing of it', async () => {
    const auth = await call('onec-main', 'type=catalog&mode=checkauth', { headers: { authorization: basic('1c-exchange', password) } });
    const cookie = { cookie: `${auth[1]}=${auth[2]}` };
    await call('onec-main', 'type=catalog&mode=init', { headers: cookie });
    const before = await store.forAccount('onec-main').count('prices');
    await call('onec-main', 'type=catalog&mode=file&filename=offers0_2.xml', { method: 'POST', headers: cookie, body: fixture('broken-quantity.xml') });
    let r: string[] = [];
    for (let i = 0; i < 100; i++) {
      r = await call('onec-main', 'type=catalog&mode=import&filename=offers0_2.xml', { headers: cookie });
      if (r[0] !== 'progress') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(r[0]).toBe('failure');
    expect(r.slice(1).join(' ')).toMatch(/не число \/ not a number \(строка 14 \/ line 14\)/);
    expect(await store.forAccount('onec-main').count('prices')).toBe(before);
    // A file never uploaded is a failure too, not an endless progress.
    let missing: string[] = [];
    for (let i = 0; i < 100; i++) {
      missing = await call('onec-main', 'type=catalog&mode=import&filename=rests0_1.xml', { headers: cookie });
      if (missing[0] !== 'progress') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect(missing).toEqual(['failure', 'rests0_1.xml: файл rests0_1.xml не был передан / the file rests0_1.xml was not uploaded']);
  }, 30_000);

  it('takes signed JSON pushes from 1C HTTP services: by 1C id or article, all or nothing, once', async () => {
    const send = (body: unknown, o: { key?: string; ts?: number } = {}) => {
      const text = JSON.stringify(body);
      const ts = String(o.ts ?? Math.floor(Date.now() / 1000));
      const sig = createHmac('sha256', o.key ?? 'k'.repeat(40)).update(`${ts}.${text}`).digest('hex');
      return fetch(`${base}/onec-main`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-svodka-timestamp': ts, 'x-svodka-signature': `sha256=${sig}` }, body: text });
    };
    const acc = store.forAccount('onec-main');
    const good = {
      prices: [{ product: 'ЧЗ-100', priceType: 'Розничная', amount: '1 299,00', currency: 'руб.' }],
      stock: [{ product: '11111111-0000-4000-8000-000000000001', warehouse: 'Основной склад', quantity: 7 }],
    };
    expect((await send(good, { key: 'x'.repeat(40) })).status).toBe(401);
    expect((await send(good, { ts: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    const bad = await send({ ...good, prices: [...good.prices, { product: 'НЕТ-ТАКОГО', priceType: 'Розничная', amount: '1', currency: 'RUB' }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/товар \/ product НЕТ-ТАКОГО/);
    const price = '11111111-0000-4000-8000-000000000001:7c000000-0000-4000-8000-000000000001';
    expect((await acc.get('prices', price))?.record.amount).toBe('1234.50');

    const at = Math.floor(Date.now() / 1000);
    const ok = await send(good, { ts: at });
    expect(await ok.json()).toEqual({ ok: true, prices: 1, stock: 1 });
    expect(await (await send(good, { ts: at })).json()).toEqual({ ok: true, duplicate: true });
    expect((await acc.get('prices', price))?.record).toMatchObject({ amount: '1299.00', currency: 'RUB' });
    expect((await acc.get('stock', '11111111-0000-4000-8000-000000000001:5c000000-0000-4000-8000-000000000001'))?.record.quantity).toBe('7');
  });
});
