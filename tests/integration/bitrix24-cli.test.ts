import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../src/sandbox/bitrix24/index.js';
import { cli } from '../helpers/spawn.js';

describe('svodka connect bitrix24 and svodka sync, as a user runs them (sandbox portal)', () => {
  let sandbox: Bitrix24Sandbox;
  const env = { SVODKA_DATA_DIR: mkdtempSync(join(tmpdir(), 'svodka-b24-cli-')), LOG_LEVEL: 'silent' };

  beforeAll(async () => {
    sandbox = await startBitrix24Sandbox({ deals: 300, leads: 50, contacts: 80, companies: 20, activities: 400 });
  });
  afterAll(() => sandbox?.close());

  it('refuses a URL that is not an inbound webhook, and a webhook the portal rejects', async () => {
    const bad = await cli(['connect', 'bitrix24', '--webhook', 'http://portal.example.ru/rest/1/abc', '--json'], env);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'validation_failed' } });
    const wrong = await cli(['connect', 'bitrix24', '--webhook', sandbox.webhookUrl.replace(/[^/]+$/, 'wrongkey000'), '--json'], env);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout + wrong.stderr).not.toContain('wrongkey000');
    expect(JSON.parse((await cli(['accounts', '--json'], env)).stdout)).toEqual([]);
  });

  it('connects, then syncs printing {account, counts, requests, seconds}', async () => {
    const c = await cli(['connect', 'bitrix24', '--webhook', sandbox.webhookUrl, '--json'], env);
    expect(c.code, c.stderr).toBe(0);
    const connected = JSON.parse(c.stdout) as { account: string; created: boolean };
    expect(connected).toMatchObject({ account: expect.stringMatching(/^b24-127\.0\.0\.1-\d+$/), created: true });
    expect(c.stdout + c.stderr).not.toContain(sandbox.webhookUrl.split('/').at(-1)!);

    sandbox.resetStats();
    const s = await cli(['sync', '--json'], env);
    expect(s.code, s.stderr).toBe(0);
    const out = JSON.parse(s.stdout) as { account: string; counts: Record<string, number>; requests: number; seconds: number };
    expect(Object.keys(out)).toEqual(['account', 'counts', 'requests', 'seconds']);
    expect(out.account).toBe(connected.account);
    expect(out.counts).toMatchObject({ deals: 300, leads: 50, contacts: 80, companies: 20, activities: 400 });
    expect(out.requests).toBe(sandbox.stats().requests);
    expect(out.seconds).toBeGreaterThan(0);

    const again = JSON.parse((await cli(['sync', '--json'], env)).stdout) as { requests: number };
    expect(again.requests).toBeLessThan(out.requests);
  }, 60_000);
});
