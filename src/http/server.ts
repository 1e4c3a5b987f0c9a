import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../runtime/runtime.js';
import { createApp } from './app.js';
import { mountWebhooks } from '../../webhooks/index.js';
import { mountDashboard } from '../dashboard/routes.js';

export interface RunningServer {
  url: string;
  server: Server;
  /** Stops taking requests, lets running ones finish, then closes the runtime. */
  close(): Promise<void>;
}

export async function startServer(rt: Runtime): Promise<RunningServer> {
  let shuttingDown = false;
  const app = createApp({
    log: rt.log,
    isShuttingDown: () => shuttingDown,
    probes: [
      { name: 'database', check: () => rt.store.ping() },
      { name: 'queue', check: () => rt.queue.ping() },
    ],
    mount: (app) => {
      mountWebhooks(app, rt);
      mountDashboard(app, rt);
    },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(rt.env.PORT, rt.env.HOST, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    server,
    async close() {
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = setTimeout(() => server.closeAllConnections(), rt.env.SVODKA_SHUTDOWN_MS);
      deadline.unref();
      await closed;
      clearTimeout(deadline);
      await rt.close();
    },
  };
}
