import { startDemo } from '../../demo/index.js';
import { withSandboxCa } from '../../demo/reexec.js';
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
    const demo = role === 'start' && !env.DATABASE_URL && env.SVODKA_DEMO !== '0' && (env.SVODKA_DEMO === '1' || !(await rt.store.accounts.list()).length);
    if (demo) {
      await rt.close();
      const code = await withSandboxCa();
      if (code !== undefined) {
        process.exitCode = code;
        return;
      }
      const d = await startDemo(env, log);
      stop = () => d.close();
      emit(json, { role, demo: true, url: d.url, accounts: d.accounts, links: d.links, steps: d.steps }, () =>
        [
          `svodka demo: ${d.url} (embedded database, in-process queue, sandbox Bitrix24 portal and amoCRM account on loopback)`,
          `  ready in ${d.steps.reduce((a, s) => a + s.seconds, 0).toFixed(1)} s: ${d.steps.map((s) => `${s.step} ${s.seconds} s`).join(', ')}`,
          '  open the dashboard:',
          ...d.links.map((l) => `    ${l.label}: ${l.url}`),
          '  connect your own CRM with `svodka connect bitrix24 --webhook URL` (the demo then stops starting). Ctrl+C stops it.',
        ].join('\n'),
      );
    } else if (role !== 'worker') {
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
            : '  no account connected yet: `svodka connect bitrix24 --webhook URL` or `svodka connect amocrm ...`',
          '  Ctrl+C stops it.',
        ].join('\n'),
      );
    }
    if (role !== 'serve' && !demo) await rt.startWorker();
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
