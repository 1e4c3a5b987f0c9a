import type { SvodkaError } from './errors.js';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded (Bitrix24 REST, OAuth token endpoints). */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

/**
 * The only way an adapter talks to its system: every request waits for the account's shared rate
 * limit, and rate-limit and transient failures are retried with backoff before they reach the adapter.
 */
export interface HttpClient {
  request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>>;
}

/**
 * An adapter's reading of a response its API gives a special meaning (Bitrix24's QUERY_LIMIT_EXCEEDED,
 * amoCRM's HTML 403 block): an error to raise instead of the generic one, or undefined for the default.
 */
export type ResponseClassifier = (res: HttpResponse) => SvodkaError | undefined;
