/** An error answer in the portal's own shape: HTTP status plus {"error", "error_description"}. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
  body(): { error: string; error_description: string } {
    return { error: this.code, error_description: this.description };
  }
}

// System errors as listed on apidocs.bitrix24.ru/error-codes.html and limits.html.
export const errors = {
  methodNotFound: () => new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
  queryLimit: () => new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests'),
  operationTime: () => new RestError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.'),
  noAuth: () => new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data'),
  invalidCredentials: () => new RestError(401, 'INVALID_CREDENTIALS', 'Invalid request credentials'),
  expiredToken: () => new RestError(401, 'expired_token', 'The access token provided has expired.'),
  invalidToken: () => new RestError(401, 'invalid_token', 'The access token provided is invalid.'),
  batchLength: () => new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded'),
  batchNotAllowed: () => new RestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage'),
  core: (d: string) => new RestError(400, 'ERROR_CORE', d),
  argValue: (d: string) => new RestError(400, 'INVALID_ARG_VALUE', d),
  notFound: (d = 'Not found') => new RestError(400, 'NOT_FOUND', d),
  required: (name: string) => new RestError(400, 'ERROR_CORE', `Required parameter "${name}" is missing`),
};
