import type { z } from 'zod';
import type { EntityName, ModelRecord } from '../model/index.js';
import { SvodkaError } from './errors.js';
import type { Log } from './adapter.js';
import type { PlannedWrite, writePolicy } from './intent.js';

/** Read-only access to one account's model: all a plugin can touch. */
export interface ModelReader {
  list<E extends EntityName>(entity: E, options?: { after?: string; limit?: number }): Promise<ModelRecord<E>[]>;
  /**
   * One SELECT over the model's tables, by their names (deals, stage_changes, ...): each holds only this
   * account's live rows, and nothing can be written. The heavy lifting of a plugin belongs here,
   * set-based, rather than in a loop over millions of records. Only the entities the plugin declares in
   * `reads` may be named. Rows come back as node-postgres gives them (numeric and bigint as text).
   */
  sql<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

export interface PluginContext<Config> {
  account: string;
  /** The kind of the account's CRM (bitrix24, amocrm, ...): the adapter its write intents go to. */
  host: string;
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
  /** One entry per finding, score or figure: what `svodka run --json` prints and the dashboard lists. */
  results: R[];
  /** Totals and figures about the run as a whole (a forecast's range, a rule's counts). */
  summary?: Record<string, unknown>;
  writes: PlannedWrite[];
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
