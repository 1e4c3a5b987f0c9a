import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../log/logger.js';
import { errorCode } from '../sdk/errors.js';
import { errorHandler, notFound } from './errors.js';

export interface Probe {
  name: string;
  check(): Promise<void>;
}

export interface AppOptions {
  log: Logger;
  /** What /readyz checks (the database, the queue's Redis). */
  probes: Probe[];
  isShuttingDown: () => boolean;
  /** Routes added by later parts (webhooks, dashboard). */
  mount?: (app: Express) => void;
}

const requestIdPattern = /^[\w.-]{1,100}$/;

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    pinoHttp({
      logger: options.log,
      genReqId: (req, res) => {
        const given = req.headers['x-request-id'];
        const id = typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug'),
      // Only the method and the path: query strings carry dashboard sessions and sign-in links, headers
      // carry tokens, and a webhook path may end in its secret.
      serializers: { req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggedUrl(req.url) }) },
    }),
  );
  // The raw bytes are kept for receivers that check a signature over them (1C JSON pushes).
  app.use(express.json({ limit: '20mb', verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    if (options.isShuttingDown()) {
      res.status(503).json({ status: 'shutting_down', checks: {} });
      return;
    }
    const checks: Record<string, string> = {};
    await Promise.all(
      options.probes.map(async (p) => {
        try {
          await withTimeout(p.check(), 2_000);
          checks[p.name] = 'ok';
        } catch (e) {
          checks[p.name] = errorCode(e) === 'internal' ? 'unreachable' : errorCode(e);
        }
      }),
    );
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  options.mount?.(app);
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

/** A URL fit for a log: no query string, and long opaque path segments (webhook secrets) masked. */
export function loggedUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path
    .split('/')
    .map((seg) => (/^[\w-]{32,}$/.test(seg) ? '***' : seg))
    .join('/');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
