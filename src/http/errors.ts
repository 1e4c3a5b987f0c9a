import type { ErrorRequestHandler, RequestHandler } from 'express';
import { SvodkaError } from '../sdk/errors.js';
import { redactSecrets } from '../log/redact.js';

const statusByCode: Record<string, number> = {
  validation_failed: 400,
  bad_json: 400,
  auth_failed: 401,
  forbidden: 403,
  not_found: 404,
  rate_limited: 429,
  not_ready: 503,
  app_not_configured: 503,
  shutting_down: 503,
};

export interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new SvodkaError('not_found', `no route ${req.method} ${req.path}`));
};

/** Every error leaves as JSON with a stable code; an unexpected one says only "internal error". */
export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const requestId = String(req.id ?? '');
  let code = 'internal';
  let message = 'internal error';
  let status = 500;
  if (err instanceof SvodkaError) {
    code = err.code;
    message = redactSecrets(err.message);
    status = statusByCode[code] ?? 500;
  } else if (isBodyParserError(err)) {
    code = err.type === 'entity.parse.failed' ? 'bad_json' : 'bad_request';
    message = err.type === 'entity.too.large' ? 'request body too large' : 'request body is not valid JSON';
    status = err.status;
  }
  if (status >= 500) req.log.error({ err }, 'request failed');
  const body: ErrorBody = { error: { code, message, requestId } };
  res.status(status).json(body);
};

function isBodyParserError(e: unknown): e is { type: string; status: number } {
  return typeof e === 'object' && e !== null && 'type' in e && 'status' in e && typeof (e as { status: unknown }).status === 'number';
}
