import { startServer } from '../../http/server.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';
import { cliEnv } from '../context.js';
import { emit } from '../output.js';

export type Role = 'start' | 'serve' | 'worker';

/** Runs until SIGINT or SIGTERM, then shuts down gracefully: no new work, running jobs finish, DB closed. */
export async function roleCommand(role: Role, json: boolean): Promise<void> {
  const { env, log } = cliEnv();
  const rt: Runtime = await openRuntime(env, { log });
  let stop: () => Promise<void> = () => rt.close();
  try {
    if (role !== 'worker') {
      const server = await startServer(rt);
      stop = () => server.close();
      const accounts = await rt.store.accounts.list();
      const info = {
        role,
        url: server.url,
        database: rt.store.db.kind,
        queue: rt.queue.kind,
        accounts: accounts.length,
      };
      log.info(info, 'svodka is serving');
      emit(json, info, () =>
        [
          `svodka ${role}: ${server.url} (database: ${info.database}, queue: ${info.queue})`,
          `  health: ${server.url}/healthz   readiness: ${server.url}/readyz`,
          accounts.length
            ? `  accounts: ${accounts.map((a) => a.id).join(', ')}`
            : '  no account connected yet (the sandbox portals and the dashboard come with their issues)',
          '  Ctrl+C stops it.',
        ].join('\n'),
      );
    }
    if (role !== 'serve') await rt.startWorker();
    if (role === 'worker') emit(json, { role, queue: rt.queue.kind }, () => `svodka worker: taking jobs (${rt.queue.kind})`);
  } catch (e) {
    await stop().catch(() => undefined);
    throw e;
  }
  await new Promise<void>((resolve) => {
    const onSignal = (sig: NodeJS.Signals) => {
      log.info({ signal: sig }, 'shutting down');
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await stop();
  log.info('stopped');
}
