import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseQuery, readBody } from '../bitrix24/http-body.js';
import type { Call, Ctx } from './context.js';
import { ApiError, parseJson, problem, send, type Reply } from './http.js';
import { BLOCK_HTML, type RateLimits } from './limits.js';
import type { OAuthServer } from './oauth.js';
import { routes } from './routes/index.js';

export interface Stats {
  requests: number;
  byPath: Record<string, number>;
  refreshes: number;
  limited: number;
  blocked: number;
}

export interface ServerParts {
  ctx: Ctx;
  oauth: OAuthServer;
  limits: RateLimits;
  stats: Stats;
}

/** OAuth accepts JSON (as documented) or a form body. */
function tokenParams(req: IncomingMessage, raw: string): Record<string, unknown> {
  if ((req.headers['content-type'] ?? '').includes('json')) {
    const v = parseJson(raw);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }
  return parseQuery(raw);
}

export function createHandler(s: ServerParts) {
  const { ctx, stats } = s;

  const api = (req: IncomingMessage, url: URL, raw: string): Reply => {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (method === 'POST' && path === '/oauth2/access_token') {
      const r = { status: 200, body: s.oauth.token(tokenParams(req, raw), ctx.data.currentUserId), type: 'application/json' };
      stats.refreshes = s.oauth.refreshes;
      return r;
    }
    if (!path.startsWith('/api/v4/')) throw problem(404, 'Not found');
    if (s.limits.blocked()) {
      stats.blocked++;
      return { status: 403, body: BLOCK_HTML, type: 'text/html' };
    }
    const grant = s.oauth.check(req.headers.authorization);
    if (!s.limits.take(grant.clientId)) {
      stats.limited++;
      // Docs give only the status code for 429; the body stays empty.
      return { status: 429 };
    }
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.path.exec(path);
      if (!m) continue;
      const call: Call = { ctx, query: parseQuery(url.search.slice(1)), search: url.search.slice(1), path, params: m.slice(1), body: parseJson(raw), userId: grant.userId };
      return r.handle(call);
    }
    if (routes.some((r) => r.path.test(path))) throw problem(405, `Method ${method} is not allowed`);
    throw problem(404, 'Not found');
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', ctx.base);
    stats.requests++;
    const key = `${req.method} ${url.pathname.replace(/\/+$/, '').replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/[0-9a-z]{26}$/, '/{id}')}`;
    stats.byPath[key] = (stats.byPath[key] ?? 0) + 1;
    try {
      const raw = await readBody(req);
      send(res, api(req, url, raw));
    } catch (e) {
      if (e instanceof ApiError) return send(res, { status: e.status, body: e.body, type: e.status === 200 ? 'application/json' : 'application/problem+json' });
      send(res, { status: 500, body: { title: 'Internal Server Error', type: 'https://httpstatus.es/500', status: 500, detail: e instanceof Error ? e.message : 'error' } });
    }
  };
}
