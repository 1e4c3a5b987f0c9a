import { ensureSandboxCa } from '../src/sandbox/bitrix24/index.js';

/**
 * Creates the Bitrix24 sandbox CA before any worker starts, and lets the forked workers trust it:
 * Node reads NODE_EXTRA_CA_CERTS only at process start, and workers inherit this environment.
 */
export default async function setup(): Promise<void> {
  const { caPath } = await ensureSandboxCa();
  process.env.NODE_EXTRA_CA_CERTS = caPath;
}
