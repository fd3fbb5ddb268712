// One structured JSON logger per process. Redaction is a safety net: code never passes secrets
// to the logger in the first place.
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers["x-alga-webhook-secret"]',
  'req.headers["x-level-signature"]',
];

export function createLogger(level: string, name = 'level-integration', destination?: pino.DestinationStream): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
