import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sealer, Store } from '../../src/store/index.js';
import { freshDatabase } from '../helpers/postgres.js';

describe('secrets (real Postgres)', () => {
  let store: Store;
  let drop: () => Promise<void>;
  let url: string;
  beforeAll(async () => {
    const db = await freshDatabase();
    url = db.url;
    drop = db.drop;
    store = await Store.open({ databaseUrl: url, sealer: Sealer.fromSecret('a-test-secret-of-some-length') });
    await store.accounts.save({ id: 'a', kind: 'demo', name: 'A' });
    await store.accounts.save({ id: 'b', kind: 'demo', name: 'B' });
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('stores secrets sealed, never in the clear, and reads them back per account', async () => {
    await store.forAccount('a').secrets.write({ token: 'tok-AAAA-1234' });
    const raw = await store.db.query<{ sealed: string }>('SELECT sealed FROM secrets');
    expect(raw.rows).toHaveLength(1);
    expect(raw.rows[0]!.sealed).not.toContain('tok-AAAA');
    expect((await store.forAccount('a').secrets.read())?.value).toEqual({ token: 'tok-AAAA-1234' });
    expect(await store.forAccount('b').secrets.read()).toBeUndefined();
  });

  it('refuses to open secrets with another key', async () => {
    const other = await Store.open({ databaseUrl: url, sealer: Sealer.fromSecret('another-secret-entirely') });
    await expect(other.forAccount('a').secrets.read()).rejects.toThrow(/SVODKA_SECRET/);
    const none = await Store.open({ databaseUrl: url, sealer: Sealer.none('SVODKA_SECRET is not set') });
    await expect(none.forAccount('a').secrets.read()).rejects.toThrow(/SVODKA_SECRET is not set/);
    await other.close();
    await none.close();
  });

  it('rotates exactly once when many callers in two processes see the same version', async () => {
    const second = await Store.open({ databaseUrl: url, sealer: Sealer.fromSecret('a-test-secret-of-some-length') });
    const seen = await store.forAccount('a').secrets.write({ token: 't0' });
    let refreshes = 0;
    const refresh = async (cur: unknown) => {
      refreshes += 1;
      await new Promise((r) => setTimeout(r, 50));
      return { token: `${(cur as { token: string }).token}+` };
    };
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? second : store).forAccount('a').secrets.rotate(seen.version, refresh)),
    );
    expect(refreshes).toBe(1);
    for (const r of results) expect(r).toEqual({ value: { token: 't0+' }, version: seen.version + 1 });
    await second.close();
  });

  it('goes with the account when it is deleted', async () => {
    await store.forAccount('b').secrets.write({ token: 'x' });
    await store.deleteAccount('b');
    const n = await store.db.query("SELECT 1 FROM secrets WHERE account_id = 'b'");
    expect(n.rows).toHaveLength(0);
  });
});
