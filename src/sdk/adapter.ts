import type { z } from 'zod';
import type { EntityName, ModelInput } from '../model/index.js';
import { SvodkaError } from './errors.js';
import type { HttpClient, ResponseClassifier } from './http.js';
import type { WriteIntent } from './intent.js';
import type { SecretStore } from './secrets.js';

export type Cursor = Record<string, unknown>;

export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface AdapterContext<Config> {
  account: string;
  /** The account's settings, parsed by the adapter's `config` schema. */
  config: Config;
  log: Log;
  signal: AbortSignal;
  /** Rate-limited (per account, across processes) and retrying; the adapter's only way out. */
  http: HttpClient;
  /**
   * Waits for one request slot of the account's shared limit and counts the request: for a client that
   * sends its own requests (a vendor SDK), called once before every request it sends.
   */
  gate(): Promise<void>;
  /** The account's credentials, sealed at rest; refreshes go through `rotate`. */
  secrets: SecretStore;
}

export interface RateLimitSpec {
  /** Sustained requests per second for one account. */
  perSecond: number;
  /** Extra requests allowed at once, refilled at `perSecond`. */
  burst?: number;
}

/** One page of raw items as the source returned them, and where the next pull starts. */
export interface RawPage {
  items: readonly unknown[];
  /** Ids the source reports deleted. */
  deleted?: readonly string[];
  /**
   * True on the last page of a pull that listed every live item (a small list read whole, an id
   * reconciliation pass): records this pull did not yield are then marked deleted.
   */
  complete?: boolean;
  /** Null when this page changes nothing about where to resume. */
  cursor: Cursor | null;
}

export interface EntityMapping<E extends EntityName> {
  /** Pure: the same raw item always gives the same record; null skips an item the model does not hold. */
  map(raw: unknown): ModelInput<E> | null;
}

export type EntityMappings = { [E in EntityName]?: EntityMapping<E> };

export interface AdapterDef<C extends z.ZodType = z.ZodType, M extends EntityMappings = EntityMappings> {
  /** kebab-case, stable: it keys cursors and outbox intents. */
  id: string;
  /** Settings of one connected account (URL, ids; tokens are kept by the core, never here). */
  config: C;
  entities: M;
  /** The account's request limit (default 5/s); may depend on its settings (a Bitrix24 plan, say). */
  rateLimit?: (config: z.output<C>) => RateLimitSpec;
  /** Errors this API signals in its own way, read before the generic status reading. */
  classify?: ResponseClassifier;
  /** Proves the account is reachable and the credentials work. */
  check(ctx: AdapterContext<z.output<C>>): Promise<void>;
  /** Pages after `cursor` (null: from the start), in ascending order of the source's update time and id. */
  pull(ctx: AdapterContext<z.output<C>>, entity: keyof M & EntityName, cursor: Cursor | null): AsyncIterable<RawPage>;
  /**
   * Every live id of an entity, a page at a time, for the periodic reconciliation that notices deletions
   * no event reported. Only entities whose pull is incremental need it.
   */
  ids?(ctx: AdapterContext<z.output<C>>, entity: keyof M & EntityName): AsyncIterable<readonly string[]>;
  /** The current raw items with these ids (an event named them); items that no longer exist are left out. */
  fetch?(ctx: AdapterContext<z.output<C>>, entity: keyof M & EntityName, ids: readonly string[]): Promise<unknown[]>;
  /** Sends one intent; idempotent on the intent's key. */
  write?(ctx: AdapterContext<z.output<C>>, intent: WriteIntent): Promise<void>;
  /**
   * Sends up to 50 intents at once (one batch request where the API has one), idempotent on each key;
   * `attempts` counts this one, so above 1 an intent may already have been sent. Resolves with the
   * error of each intent that failed; the others are done. Preferred to `write` when present.
   */
  writeBatch?(ctx: AdapterContext<z.output<C>>, intents: readonly (WriteIntent & { attempts: number })[]): Promise<Map<string, Error>>;
}

const idPattern = /^[a-z][a-z0-9-]{1,39}$/;

export function defineAdapter<C extends z.ZodType, M extends EntityMappings>(def: AdapterDef<C, M>): AdapterDef<C, M> {
  if (!idPattern.test(def.id)) throw new SvodkaError('adapter_invalid', `adapter id ${JSON.stringify(def.id)} is not kebab-case`);
  if (!Object.keys(def.entities).length) throw new SvodkaError('adapter_invalid', `adapter ${def.id} maps no entity`);
  return def;
}
