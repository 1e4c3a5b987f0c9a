import type { IncomingMessage, ServerResponse } from 'node:http';
import { runBatch, type SubResult } from './batch.js';
import type { LeakyBucket } from './bucket.js';
import type { Caller, Ctx } from './context.js';
import { errors, RestError } from './errors.js';
import { parseParams, readBody } from './http-body.js';
import { methods } from './methods/index.js';
import type { OperatingTime } from './operating.js';
import { timeBlock } from './time.js';

export interface Stats {
  requests: number;
  byMethod: Record<string, number>;
  limited: number;
  batchCommands: number;
}

export interface ServerParts {
  ctx: Ctx;
  bucket: LeakyBucket;
  operating: OperatingTime;
  stats: Stats;
  webhook: { userId: number; secret: string };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const REST = /^\/rest\/(?:(\d+)\/([^/]+)\/)?([^/]+?)\/?$/;

/** Routes /oauth/token/ and /rest/... the way a portal does and answers in the REST v2 envelope. */
export function createHandler(s: ServerParts) {
  const { ctx, stats } = s;

  const runOne = (method: string, params: Record<string, unknown>, caller: Caller, inBatch: boolean): SubResult => {
    const started = Date.now();
    const handler = methods[method];
    if (!handler) throw errors.methodNotFound();
    if (inBatch) stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    const key = `${caller.kind}:${caller.userId}:${method}`;
    if (s.operating.blocked(key)) throw errors.operationTime();
    let answer;
    try {
      answer = handler(params, { ctx, caller });
    } catch (e) {
      if (e instanceof TypeError) throw errors.core(e.message);
      throw e;
    }
    s.operating.add(key, answer.cost ?? 0.01);
    const op = s.operating.state(key);
    const out: SubResult = { result: answer.result, time: timeBlock(started, op.operating, op.resetAt) };
    if (answer.total !== undefined) out.total = answer.total;
    if (answer.next !== undefined) out.next = answer.next;
    return out;
  };

  const authorize = (hookUser: string | undefined, hookSecret: string | undefined, params: Record<string, unknown>): Caller => {
    if (hookUser !== undefined) {
      if (Number(hookUser) !== s.webhook.userId || hookSecret !== s.webhook.secret) throw errors.invalidCredentials();
      return { kind: 'hook', userId: s.webhook.userId };
    }
    return ctx.oauth.check(params.auth);
  };

  const rest = (m: RegExpExecArray, params: Record<string, unknown>): [number, unknown] => {
    stats.requests++;
    const caller = authorize(m[1], m[2], params);
    delete params.auth;
    const method = (m[3] as string).toLowerCase().replace(/\.(json|xml)$/, '');
    if (method !== 'batch' && !methods[method]) throw errors.methodNotFound();
    if (!s.bucket.take()) {
      stats.limited++;
      throw errors.queryLimit();
    }
    stats.byMethod[method] = (stats.byMethod[method] ?? 0) + 1;
    if (method === 'batch') {
      const started = Date.now();
      const result = runBatch(ctx, params, caller, runOne, (n) => (stats.batchCommands += n));
      return [200, { result, time: timeBlock(started, 0, Math.floor(Date.now() / 1000)) }];
    }
    const r = runOne(method, params, caller, false);
    const body: Record<string, unknown> = { result: r.result };
    if (r.total !== undefined) body.total = r.total;
    if (r.next !== undefined) body.next = r.next;
    body.time = r.time;
    return [200, body];
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const url = new URL(req.url ?? '/', ctx.origin);
      const raw = await readBody(req);
      const params = parseParams(req.headers['content-type'], raw, url.search.slice(1));
      if (/^\/oauth\/token\/?$/.test(url.pathname)) return send(res, 200, ctx.oauth.token(params));
      // Clients build `<client_endpoint>/<method>` from an endpoint ending in '/', so '//' is normal.
      const m = REST.exec(url.pathname.replace(/\/{2,}/g, '/'));
      if (!m) return send(res, 404, errors.methodNotFound().body());
      const [status, body] = rest(m, params);
      send(res, status, body);
    } catch (e) {
      if (e instanceof RestError) return send(res, e.status, e.body());
      send(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: e instanceof Error ? e.message : 'Internal server error' });
    }
  };
}
