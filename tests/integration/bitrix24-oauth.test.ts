import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bitrix24Adapter } from '../../adapters/bitrix24/index.js';
import { Portal } from '../../adapters/bitrix24/client.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { adapterContext } from '../../src/runtime/context.js';
import { startBitrix24Sandbox, type Bitrix24Sandbox } from '../../src/sandbox/bitrix24/index.js';
import { Sealer, Store } from '../../src/store/index.js';
import { freshDatabase } from '../helpers/postgres.js';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('bitrix24 OAuth on the sandbox: an expired token is refreshed exactly once across two workers', () => {
  let sandbox: Bitrix24Sandbox;
  let stores: Store[] = [];
  let drop: () => Promise<void>;
  const account = 'b24-oauth';

  beforeAll(async () => {
    sandbox = await startBitrix24Sandbox({ deals: 10 });
    const db = await freshDatabase();
    drop = db.drop;
    const sealer = () => Sealer.fromSecret('oauth-test-secret-0123456789');
    stores = [await Store.open({ databaseUrl: db.url, sealer: sealer() }), await Store.open({ databaseUrl: db.url, sealer: sealer() })];
    const t = sandbox.oauth.issue();
    await stores[0]!.accounts.save({ id: account, kind: 'bitrix24', name: 'oauth', settings: { portal: sandbox.origin, auth: 'oauth', memberId: sandbox.memberId } });
    await stores[0]!.forAccount(account).secrets.write({
      kind: 'oauth',
      accessToken: t.access_token,
      refreshToken: t.refresh_token,
      expires: Math.floor(Date.now() / 1000) + 3600,
      clientId: sandbox.oauth.clientId,
      clientSecret: sandbox.oauth.clientSecret,
      serverEndpoint: `${sandbox.origin}/rest/`,
    });
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    await drop?.();
    await sandbox?.close();
  });

  it('two workers, ten requests at once, one refresh; the rotated refresh token is stored', async () => {
    const limiter = createRateLimiter();
    const portals = await Promise.all(
      stores.map((store) => {
        const config = bitrix24Adapter.config.parse({ portal: sandbox.origin, auth: 'oauth', memberId: sandbox.memberId, perSecond: 50, burst: 50 });
        const ctx = adapterContext({ adapter: bitrix24Adapter as never, store: store.forAccount(account), config, limiter, log: silent, signal: new AbortController().signal });
        return Portal.open(ctx as never);
      }),
    );
    const before = await stores[0]!.forAccount(account).secrets.read();
    sandbox.expireTokens();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => portals[i % 2]!.call<{ ID: string }>('profile')));
    expect(answers.map((a) => String(a.result.ID))).toEqual(Array(10).fill('1'));
    const after = await stores[1]!.forAccount(account).secrets.read();
    // One rotation: a second refresh with the spent refresh token would have been refused by the portal.
    expect(after!.version).toBe(before!.version + 1);
    expect((after!.value as { refreshToken: string }).refreshToken).not.toBe((before!.value as { refreshToken: string }).refreshToken);
  });
});
