/**
 * Every error svodka raises on purpose: a stable `code` for machines, a message for people,
 * and `retryable` for the one place that decides retry and backoff (the queue).
 */
export class SvodkaError extends Error {
  readonly code: string;
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Bad configuration or environment: fix it and start again. */
export class ConfigError extends SvodkaError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('config_invalid', message, options);
  }
}

/** Input that does not match what we expect (payload, file, argument). Never retried. */
export class ValidationError extends SvodkaError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = [], options: { cause?: unknown } = {}) {
    super('validation_failed', issues.length ? `${message}: ${issues.slice(0, 5).join('; ')}` : message, options);
    this.issues = issues;
  }
}

/** A temporary failure: network, 5xx, a lock. Retried with backoff. */
export class TransientError extends SvodkaError {
  constructor(message: string, options: { code?: string; cause?: unknown } = {}) {
    super(options.code ?? 'transient', message, { retryable: true, cause: options.cause });
  }
}

/** The remote side asked us to slow down. */
export class RateLimitedError extends SvodkaError {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, options: { retryAfterMs?: number; cause?: unknown } = {}) {
    super('rate_limited', message, { retryable: true, cause: options.cause });
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Credentials are missing, expired beyond refresh, or revoked. */
export class AuthError extends SvodkaError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('auth_failed', message, options);
  }
}

export class NotFoundError extends SvodkaError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** A store failure: the code says which (db_unreachable, cross_account, ...). */
export class StoreError extends SvodkaError {}

export function isRetryable(e: unknown): boolean {
  if (e instanceof SvodkaError) return e.retryable;
  return false;
}

export function errorCode(e: unknown): string {
  return e instanceof SvodkaError ? e.code : 'internal';
}
