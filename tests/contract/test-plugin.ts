import { describe, expect, it } from 'vitest';
import type { EntityName, ModelInput } from '../../src/model/index.js';
import { createLogger } from '../../src/log/logger.js';
import { runPlugin } from '../../src/runtime/plugins.js';
import { plannedWrite, type PluginDef } from '../../src/sdk/index.js';
import { Store } from '../../src/store/index.js';

export interface PluginCase {
  plugin: PluginDef;
  /** The model the plugin reads, per entity. */
  model: Partial<{ [E in EntityName]: ModelInput<E>[] }>;
  config?: Record<string, unknown>;
  invalidConfigs?: unknown[];
  now?: Date;
  /** The account's CRM: bitrix24 unless said. */
  host?: 'bitrix24' | 'amocrm';
}

/**
 * The acceptance suite every plugin passes: pure, deterministic, honest about what it reads and writes,
 * blind to other accounts. Runs through the real runner on the embedded store.
 */
export function testPlugin(c: PluginCase): void {
  describe(`plugin contract: ${c.plugin.id}`, () => {
    /** A run on account "contract"; the model goes there, to another account (`other`), or nowhere (`empty`). */
    const run = async (options: { other?: boolean; empty?: boolean } = {}) => {
      const store = await Store.open({ memory: true });
      try {
        await store.accounts.save({ id: 'contract', kind: c.host ?? 'bitrix24', name: 'contract' });
        await store.accounts.save({ id: 'other', kind: c.host ?? 'bitrix24', name: 'other' });
        const target = store.forAccount(options.other ? 'other' : 'contract');
        if (!options.empty) for (const [entity, records] of Object.entries(c.model)) await target.upsert(entity as EntityName, records as never[]);
        const units = { adapters: [], plugins: [c.plugin] };
        const run = await runPlugin({ store, units, log: createLogger('silent') }, c.plugin.id, 'contract', {
          now: c.now ?? new Date('2026-03-01T00:00:00Z'),
          ...(c.config ? { config: c.config } : {}),
        });
        return { results: run.results, summary: run.summary, writes: run.writes };
      } finally {
        await store.close();
      }
    };

    it('has defaults for every setting, and refuses invalid ones', () => {
      expect(c.plugin.config.safeParse({}).success).toBe(true);
      for (const bad of c.invalidConfigs ?? []) expect(c.plugin.config.safeParse(bad).success).toBe(false);
    });

    it('is deterministic, and writes only declared kinds with unique keys', async () => {
      const first = await run();
      const second = await run();
      expect(second).toEqual(first);
      expect(JSON.parse(JSON.stringify(first.results))).toEqual(first.results);
      const kinds = new Set(c.plugin.writes.map((w) => w.kind));
      for (const w of first.writes) {
        expect(plannedWrite.safeParse(w).success).toBe(true);
        expect(kinds.has(w.kind)).toBe(true);
      }
      expect(new Set(first.writes.map((w) => w.key)).size).toBe(first.writes.length);
    });

    it("sees nothing of another account's model", async () => {
      const blind = await run({ other: true });
      const empty = await run({ empty: true });
      expect(blind).toEqual(empty);
    });
  });
}
