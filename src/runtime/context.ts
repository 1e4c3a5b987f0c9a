import { setMaxListeners } from 'node:events';
import type { AdapterContext, AdapterDef, Log } from '../sdk/adapter.js';
import type { RateLimiter } from '../queue/index.js';
import type { AccountStore } from '../store/index.js';
import { createHttpClient } from './http-client.js';

export interface ContextArgs {
  adapter: AdapterDef;
  store: AccountStore;
  /** Parsed by the adapter's config schema. */
  config: unknown;
  limiter: RateLimiter;
  log: Log;
  signal: AbortSignal;
  retries?: number;
  minBackoffMs?: number;
}

/** An adapter context whose `requests` counts every request sent for it (through `http` or `gate`). */
export type CountingContext = AdapterContext<unknown> & { readonly requests: number };

export function adapterContext(a: ContextArgs): CountingContext {
  // Every request in flight listens on the one shutdown signal (p-retry and axios both): many at once is normal.
  setMaxListeners(0, a.signal);
  const limit = a.adapter.rateLimit?.(a.config) ?? { perSecond: 5 };
  let requests = 0;
  const limiter: RateLimiter = {
    take: async (key, l, signal) => {
      await a.limiter.take(key, l, signal);
      requests += 1;
    },
  };
  const http = createHttpClient({
    account: a.store.account,
    limiter,
    limit,
    signal: a.signal,
    ...(a.retries !== undefined ? { retries: a.retries } : {}),
    ...(a.minBackoffMs !== undefined ? { minBackoffMs: a.minBackoffMs } : {}),
    ...(a.adapter.classify ? { classify: a.adapter.classify } : {}),
  });
  return {
    account: a.store.account,
    config: a.config,
    log: a.log,
    signal: a.signal,
    http,
    gate: () => limiter.take(a.store.account, limit, a.signal),
    secrets: a.store.secrets,
    get requests() {
      return requests;
    },
  };
}
