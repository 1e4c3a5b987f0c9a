import { destination as toFd, pino, stdSerializers, stdTimeFunctions, type Logger } from 'pino';
import { redactPaths, redactSecrets } from './redact.js';

export type { Logger };

/** One JSON logger to stderr (stdout is for --json output); tokens and passwords are redacted. */
export function createLogger(level = 'info', destination: NodeJS.WritableStream | number = 2): Logger {
  return pino(
    {
      level,
      base: { app: 'svodka' },
      timestamp: stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '***' },
      serializers: {
        err: (e: unknown) => {
          const s = stdSerializers.err(e as Error);
          return { ...s, message: redactSecrets(s.message), stack: s.stack && redactSecrets(s.stack) };
        },
      },
      hooks: {
        // Secrets can hide in free text too (a failing URL in an error message).
        logMethod(args, method) {
          const [first, ...rest] = args;
          if (typeof first === 'string') return method.apply(this, [redactSecrets(first), ...rest] as never);
          if (typeof rest[0] === 'string') return method.apply(this, [first, redactSecrets(rest[0]), ...rest.slice(1)] as never);
          return method.apply(this, args);
        },
      },
    },
    typeof destination === 'number' ? toFd({ fd: destination, sync: true }) : destination,
  );
}
