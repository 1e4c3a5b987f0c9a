import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entities, type EntityName, type ModelInput } from '../../src/model/index.js';
import type { AdapterDef, AdapterContext, RawPage } from '../../src/sdk/index.js';
import { Store, type AccountStore } from '../../src/store/index.js';
import { syncEntity } from '../../src/sync/sync-entity.js';
import { createRateLimiter } from '../../src/queue/index.js';
import { adapterContext } from '../../src/runtime/context.js';

export interface AdapterCase {
  adapter: AdapterDef;
  /** Settings of a reachable account (a sandbox, or nock set up in `setup`). */
  config: unknown;
  /** Settings that must be refused. */
  invalidConfigs: unknown[];
  /** The records a full pull must yield, per entity, in the source's order. */
  expected: Partial<{ [E in EntityName]: ModelInput<E>[] }>;
  /** The account's stored credentials, when the adapter needs some. */
  secrets?: unknown;
  setup?: () => Promise<void> | void;
  teardown?: () => Promise<void> | void;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** The acceptance suite every adapter passes; a unit's own test file only adds to it. */
export function testAdapter(c: AdapterCase): void {
  describe(`adapter contract: ${c.adapter.id}`, () => {
    let store: Store;
    let acc: AccountStore;
    let ctx: AdapterContext<unknown>;

    beforeAll(async () => {
      await c.setup?.();
      store = await Store.open({ memory: true });
      await store.accounts.save({ id: 'contract', kind: 'demo', name: 'contract' });
      acc = store.forAccount('contract');
      if (c.secrets !== undefined) await acc.secrets.write(c.secrets);
      const config = c.adapter.config.parse(c.config);
      const signal = new AbortController().signal;
      const limiter = createRateLimiter();
      ctx = adapterContext({ adapter: c.adapter, store: acc, config, limiter, log: silent, signal, retries: 1, minBackoffMs: 10 });
    });
    afterAll(async () => {
      await store?.close();
      await c.teardown?.();
    });

    it('accepts valid settings and refuses invalid ones', () => {
      expect(c.adapter.config.safeParse(c.config).success).toBe(true);
      for (const bad of c.invalidConfigs) expect(c.adapter.config.safeParse(bad).success).toBe(false);
    });

    it('passes its own check', async () => {
      await expect(c.adapter.check(ctx)).resolves.toBeUndefined();
    });

    for (const entity of Object.keys(c.expected) as EntityName[]) {
      const expected = c.expected[entity] ?? [];

      it(`${entity}: a full pull maps into valid model records equal to the expected ones`, async () => {
        const mapping = c.adapter.entities[entity];
        expect(mapping, `${c.adapter.id} maps ${entity}`).toBeDefined();
        const got: ModelInput<EntityName>[] = [];
        const pages: RawPage[] = [];
        for await (const page of c.adapter.pull(ctx, entity, null)) pages.push(page);
        for (const page of pages) {
          expect(JSON.parse(JSON.stringify(page.cursor))).toEqual(page.cursor);
          for (const raw of page.items) {
            const first = mapping!.map(deepFreeze(structuredClone(raw)));
            // Pure: the same raw item maps to the same record, and is not changed by mapping.
            expect(mapping!.map(raw)).toEqual(first);
            if (!first) continue;
            const parsed = entities[entity].schema.safeParse({ ...first, accountId: 'contract' });
            expect(parsed.error?.issues ?? []).toEqual([]);
            got.push(first);
          }
        }
        expect(got).toEqual(expected);
      });

      it(`${entity}: syncing again from the saved cursor changes nothing`, async () => {
        const args = { store: acc, adapter: c.adapter, ctx, entity };
        const first = await syncEntity(args);
        expect(first.inserted).toBe(expected.length);
        const again = await syncEntity(args);
        expect(again.inserted + again.updated + again.deleted).toBe(0);
        expect(await acc.count(entity)).toBe(expected.length);
      });
    }
  });
}
