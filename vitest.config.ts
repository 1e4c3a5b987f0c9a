import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Makes the sandbox portals' CA and hands it to the workers as NODE_EXTRA_CA_CERTS (HTTPS, checked).
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Store and queue suites share one Postgres database and one Redis; files run one at a time.
    fileParallelism: false,
    reporters: ['default'],
  },
});
