import type { AdapterDef } from '../sdk/adapter.js';
import type { PluginDef } from '../sdk/plugin.js';

/** What a runtime is built with: the units of adapters/index.ts and plugins/index.ts, or a test's own. */
export interface Units {
  adapters: readonly AdapterDef[];
  plugins: readonly PluginDef[];
}

export async function defaultUnits(): Promise<Units> {
  const [{ adapters }, { plugins }] = await Promise.all([
    import('../../adapters/index.js'),
    import('../../plugins/index.js'),
  ]);
  return { adapters, plugins };
}
