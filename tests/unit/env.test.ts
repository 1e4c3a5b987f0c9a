import { describe, expect, it } from 'vitest';
import { loadEnv } from '../../src/config/env.js';
import { ConfigError } from '../../src/sdk/errors.js';

describe('environment', () => {
  it('has embedded defaults: no database or Redis URL needed', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', SVODKA_DATA_DIR: '.svodka', LOG_LEVEL: 'info' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('names every invalid variable', () => {
    const err = (() => {
      try {
        loadEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x/y', REDIS_URL: 'redis://127.0.0.1:6379' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/PORT/);
    expect((err as Error).message).toMatch(/DATABASE_URL: expected a postgres:\/\/ URL/);
    expect((err as Error).message).not.toMatch(/REDIS_URL/);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEnv({ DATABASE_URL: '', PORT: '8080' })).toMatchObject({ PORT: 8080 });
  });
});
