import { loadEnv, storeConfig, type Env } from '../config/env.js';
import { createLogger, type Logger } from '../log/logger.js';
import { SvodkaError } from '../sdk/errors.js';
import { Store } from '../store/index.js';

export interface GlobalOptions {
  json?: boolean;
}

export function cliEnv(): { env: Env; log: Logger } {
  const env = loadEnv();
  return { env, log: createLogger(env.LOG_LEVEL) };
}

export function openStore(env: Env): Promise<Store> {
  return Store.open(storeConfig(env));
}

/** `--account` may be left out when exactly one account exists. */
export async function resolveAccount(store: Store, given: string | undefined): Promise<string> {
  const all = await store.accounts.list();
  if (given) {
    if (!all.some((a) => a.id === given)) throw new SvodkaError('not_found', `no account ${given}; see \`svodka accounts\``);
    return given;
  }
  if (all.length === 1) return all[0]!.id;
  if (!all.length) throw new SvodkaError('usage', 'no account is connected yet: connect one first (`svodka connect`)');
  throw new SvodkaError('usage', `${all.length} accounts exist: choose one with --account (${all.map((a) => a.id).join(', ')})`);
}
