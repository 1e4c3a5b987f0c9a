import { describe, expect, it } from 'vitest';
import type { EntityName, ModelInput } from '../../src/model/index.js';
import { writeIntent, type ModelReader, type PluginDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';

export interface PluginCase {
  plugin: PluginDef;
  /** The model the plugin reads, per entity. */
  model: Partial<{ [E in EntityName]: ModelInput<E>[] }>;
  config?: unknown;
  invalidConfigs?: unknown[];
  now?: Date;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** The acceptance suite every plugin passes: pure, deterministic, honest about what it reads and writes. */
export function testPlugin(c: PluginCase): void {
  describe(`plugin contract: ${c.plugin.id}`, () => {
    const run = async () => {
      const store = await Store.open({ memory: true });
      try {
        await store.accounts.save({ id: 'contract', kind: 'demo', name: 'contract' });
        const acc = store.forAccount('contract');
        for (const [entity, records] of Object.entries(c.model)) await acc.upsert(entity as EntityName, records as never[]);
        const read: ModelReader = {
          list: (entity, options) => {
            if (!c.plugin.reads.includes(entity)) throw new Error(`${c.plugin.id} reads ${entity} without declaring it`);
            return acc.list(entity, options);
          },
        };
        const config = c.plugin.config.parse(c.config ?? {});
        return await c.plugin.run({ account: 'contract', config, read, now: c.now ?? new Date('2026-03-01T00:00:00Z'), log: silent });
      } finally {
        await store.close();
      }
    };

    it('has defaults for every setting, and refuses invalid ones', () => {
      expect(c.plugin.config.safeParse({}).success).toBe(true);
      for (const bad of c.invalidConfigs ?? []) expect(c.plugin.config.safeParse(bad).success).toBe(false);
    });

    it('is deterministic, reads only what it declares, and writes only declared kinds with unique keys', async () => {
      const first = await run();
      const second = await run();
      expect(second).toEqual(first);
      expect(JSON.parse(JSON.stringify(first.results))).toEqual(first.results);
      const kinds = new Set(c.plugin.writes.map((w) => w.kind));
      for (const w of first.writes) {
        expect(writeIntent.safeParse(w).success).toBe(true);
        expect(kinds.has(w.kind)).toBe(true);
      }
      expect(new Set(first.writes.map((w) => w.key)).size).toBe(first.writes.length);
    });
  });
}
