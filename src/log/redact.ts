/** Paths pino blanks in every log line. */
export const redactPaths = [
  'token',
  'password',
  'secret',
  'authorization',
  '*.token',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.client_secret',
  '*.apiKey',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'auth.*',
];

const patterns: [RegExp, string][] = [
  // postgres://user:password@host, redis://:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@/\s]+@/gi, '$1***@'],
  // Bitrix24 inbound webhook: https://portal.bitrix24.ru/rest/1/abcdef123456/
  [/(\/rest\/\d+\/)[a-z0-9]{6,}/gi, '$1***'],
  // access_token=..., refresh_token=..., auth=..., password=... in query strings and bodies
  [/\b((?:access_token|refresh_token|client_secret|auth|password|token)["']?\s*[=:]\s*["']?)[^&\s"',}]+/gi, '$1***'],
  // Authorization: Bearer ...
  [/\b(Bearer\s+)[\w.~+/-]+=*/gi, '$1***'],
];

/** Masks secrets that may hide in a free-text message (errors, URLs) before it is logged or stored. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, to] of patterns) out = out.replace(re, to);
  return out;
}
