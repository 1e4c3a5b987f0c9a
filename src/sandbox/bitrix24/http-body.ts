import type { IncomingMessage } from 'node:http';
import qs from 'qs';
import { errors } from './errors.js';

const QS = { depth: 10, arrayLimit: 1000, parameterLimit: 100_000, allowDots: false } as const;

export function parseQuery(query: string): Record<string, unknown> {
  return qs.parse(query, QS) as Record<string, unknown>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** JSON or form-encoded body (qs semantics for nested keys), merged over the query string. */
export function parseParams(contentType: string | undefined, body: string, query: string): Record<string, unknown> {
  const fromQuery = parseQuery(query);
  for (const k of Object.keys(fromQuery)) if (k.startsWith('bx24_')) delete fromQuery[k];
  if (!body.trim()) return fromQuery;
  if ((contentType ?? '').includes('json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw errors.core('Malformed JSON in request body');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.core('Request body must be a JSON object');
    return { ...fromQuery, ...(parsed as Record<string, unknown>) };
  }
  return { ...fromQuery, ...parseQuery(body) };
}
