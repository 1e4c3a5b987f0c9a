import type { ServerResponse } from 'node:http';

/** What a route answers; the server turns it into status, content type and body. */
export interface Reply {
  status: number;
  body?: unknown;
  /** Defaults to application/hal+json for 2xx, application/problem+json otherwise. */
  type?: string;
}

/** An error reply in amoCRM's problem+json shape: {title, type, status, detail} plus any extra keys. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.detail ?? body.title));
  }
}

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 429: 'Too Many Requests' };

export function problem(status: number, detail: string, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(status, { ...extra, title: TITLES[status] ?? 'Error', type: `https://httpstatus.es/${status}`, status, detail });
}

/** The documented validation error: 400 with `validation-errors` per request item. */
export function validation(items: { requestId: string; code: string; path: string; detail: string }[]): ApiError {
  return problem(400, 'Request validation failed', {
    'validation-errors': items.map((i) => ({ request_id: i.requestId, errors: [{ code: i.code, path: i.path, detail: i.detail }] })),
  });
}

export function send(res: ServerResponse, r: Reply): void {
  if (r.body === undefined) {
    res.writeHead(r.status);
    res.end();
    return;
  }
  const text = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
  const type = r.type ?? (r.status < 300 ? 'application/hal+json' : 'application/problem+json');
  res.writeHead(r.status, { 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function parseJson(raw: string): unknown {
  if (!raw.trim()) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw problem(400, 'Malformed JSON in request body');
  }
}
