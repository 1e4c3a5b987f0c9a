import type { AccountInput, Store } from '../store/index.js';
import type { AdapterDef, Log } from '../sdk/adapter.js';
import type { RateLimiter } from '../queue/index.js';
import { adapterContext } from './context.js';
import { MemorySecrets } from './memory-secrets.js';

export interface Connection {
  id: string;
  name: string;
  settings: unknown;
  secrets: unknown;
}

/**
 * Connects an account: the adapter's check runs first with the credentials held in memory, and only
 * when it passes are the account and its sealed credentials stored. A failed check stores nothing.
 */
export async function connectAccount(
  deps: { store: Store; limiter: RateLimiter; log: Log },
  adapter: AdapterDef,
  c: Connection,
  signal: AbortSignal = new AbortController().signal,
): Promise<{ id: string; created: boolean }> {
  const config = adapter.config.parse(c.settings);
  const probe = deps.store.forAccount(c.id);
  const ctx = adapterContext({ adapter, store: probe, config, limiter: deps.limiter, log: deps.log, signal });
  await adapter.check({ ...ctx, secrets: new MemorySecrets(c.secrets) });
  const existing = await deps.store.accounts.get(c.id);
  const input: AccountInput = { id: c.id, kind: adapter.id as AccountInput['kind'], name: c.name, settings: config as Record<string, unknown> };
  await deps.store.accounts.save(input);
  await probe.secrets.write(c.secrets);
  return { id: c.id, created: !existing };
}
