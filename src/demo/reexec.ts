import { spawn } from 'node:child_process';
import { ensureSandboxCa } from '../sandbox/bitrix24/index.js';

/**
 * The sandboxes serve HTTPS with their own CA, which Node trusts only through NODE_EXTRA_CA_CERTS read
 * at process start. When it is not set, this runs the same command again in a child that has it, and
 * resolves with the child's exit code (signals are passed on); otherwise resolves undefined at once.
 */
export async function withSandboxCa(): Promise<number | undefined> {
  const { caPath } = await ensureSandboxCa();
  if (process.env.NODE_EXTRA_CA_CERTS === caPath) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 130 : 1))));
}
