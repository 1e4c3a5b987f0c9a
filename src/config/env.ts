import { join } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../sdk/errors.js';
import type { StoreConfig } from '../store/index.js';
import { Sealer } from '../store/sealer.js';

const url = (protocols: RegExp, what: string) =>
  z.string().refine((v) => {
    try {
      return protocols.test(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `expected a ${what} URL`);

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Every environment variable svodka reads. README lists the same table. */
export const envSchema = z.object({
  DATABASE_URL: url(/^postgres(ql)?:$/, 'postgres://').optional(),
  REDIS_URL: url(/^rediss?:$/, 'redis://').optional(),
  SVODKA_DATA_DIR: z.string().min(1).default('.svodka'),
  /** Seals stored tokens (AES-256-GCM). Required with DATABASE_URL; embedded, a key file under SVODKA_DATA_DIR. */
  SVODKA_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SVODKA_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,40}$/, 'lowercase letters, digits, "_" or "-"')
    .default('svodka'),
  SVODKA_CONCURRENCY: int(1, 64).default(4),
  SVODKA_SHUTDOWN_MS: int(100, 600_000).default(15_000),
  /** Where portals reach this server (event handlers, app pages); required for Marketplace installs. */
  SVODKA_PUBLIC_URL: url(/^https?:$/, 'http(s)://').optional(),
  /** The Bitrix24 app's client id and secret from the partner console (Marketplace installs). */
  SVODKA_B24_CLIENT_ID: z.string().min(1).optional(),
  SVODKA_B24_CLIENT_SECRET: z.string().min(1).optional(),
  /** The amoCRM public integration's id and secret (Marketplace installs). */
  SVODKA_AMO_CLIENT_ID: z.string().min(1).optional(),
  SVODKA_AMO_CLIENT_SECRET: z.string().min(1).optional(),
  /** Lets installs and connections reach loopback and private addresses: for the sandbox only, never in production. */
  SVODKA_ALLOW_PRIVATE_PORTALS: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
  /** `start` with no account connected and the embedded database: run the demo on the sandboxes (0 turns it off). */
  SVODKA_DEMO: z.enum(['0', '1', 'auto']).default('auto'),
  /** How often each account's incremental sync runs. */
  SVODKA_SYNC_EVERY_S: int(10, 86_400).default(600),
  /** How long a worker holds a job before another may take it over (BullMQ lock). */
  SVODKA_JOB_LOCK_MS: int(1_000, 600_000).default(30_000),
});

export type Env = z.output<typeof envSchema>;

/**
 * Where the store lives (the Postgres server of DATABASE_URL, or the embedded one under SVODKA_DATA_DIR)
 * and the key that seals secrets in it.
 */
export function storeConfig(env: Env): StoreConfig {
  const sealer = env.SVODKA_SECRET
    ? Sealer.fromSecret(env.SVODKA_SECRET)
    : env.DATABASE_URL
      ? Sealer.none('SVODKA_SECRET is not set: svodka cannot store or read account tokens in a shared database without it')
      : Sealer.fromKeyFile(join(env.SVODKA_DATA_DIR, 'secret.key'));
  return env.DATABASE_URL
    ? { databaseUrl: env.DATABASE_URL, sealer }
    : { dataDir: join(env.SVODKA_DATA_DIR, 'pgdata'), sealer };
}

/** Parses the environment; a bad value stops start-up with a message naming the variable. */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  // An empty variable counts as unset, as shells and .env files often leave them.
  const given = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const r = envSchema.safeParse(given);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ConfigError(`invalid environment: ${lines.join('; ')}`);
}
