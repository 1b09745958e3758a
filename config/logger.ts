import pino from 'pino';

/**
 * JSON logs on stdout. Contact addresses and keys are redacted wherever they appear in a logged
 * object, as a second line of defence behind not logging them at all.
 */
export function createLogger(level: string, name: string) {
  return pino({
    name,
    level,
    redact: {
      paths: ['*.email', '*.*.email', 'email', 'authorization', '*.authorization', 'headers.authorization', 'apiKey', '*.apiKey'],
      censor: '[redacted]',
    },
  });
}
export type Logger = ReturnType<typeof createLogger>;
