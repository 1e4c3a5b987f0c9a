import type { z } from 'zod';
import type { EntityName, ModelRecord } from '../model/index.js';
import { SvodkaError } from './errors.js';
import type { Log } from './adapter.js';
import type { WriteIntent, writePolicy } from './intent.js';

/** Read-only access to one account's model: all a plugin can touch. */
export interface ModelReader {
  list<E extends EntityName>(entity: E, options?: { after?: string; limit?: number }): Promise<ModelRecord<E>[]>;
}

export interface PluginContext<Config> {
  account: string;
  config: Config;
  read: ModelReader;
  /** The instant the run counts from; injected so a run is reproducible. */
  now: Date;
  log: Log;
}

export interface WriteSpec {
  kind: string;
  policy: z.infer<typeof writePolicy>;
  description: string;
}

export interface PluginResult<R> {
  results: R;
  writes: WriteIntent[];
}

export interface PluginDef<C extends z.ZodType = z.ZodType, R = unknown> {
  id: string;
  /** Parsed from the account's plugin settings; every field has a default, so `{}` is valid. */
  config: C;
  reads: readonly EntityName[];
  writes: readonly WriteSpec[];
  /** Pure: reads the model, returns results and intents; never writes anything itself. */
  run(ctx: PluginContext<z.output<C>>): Promise<PluginResult<R>>;
}

export function definePlugin<C extends z.ZodType, R>(def: PluginDef<C, R>): PluginDef<C, R> {
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(def.id)) {
    throw new SvodkaError('plugin_invalid', `plugin id ${JSON.stringify(def.id)} is not kebab-case`);
  }
  return def;
}

/** Reads every live record of an entity, a page at a time. */
export async function readAll<E extends EntityName>(read: ModelReader, entity: E): Promise<ModelRecord<E>[]> {
  const out: ModelRecord<E>[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await read.list(entity, { ...(after === undefined ? {} : { after }), limit: 1000 });
    out.push(...page);
    if (page.length < 1000) return out;
    after = page[page.length - 1]?.externalId;
  }
}
