// Where log lines go and how they read: JSON (one object a line, for collectors) or, for a person
// at a terminal, pino-pretty's coloured lines. LOG_FORMAT picks; unset, a terminal gets pretty.
// Pretty printing runs in-process and synchronously, so lines keep their order with the banner.
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

/** The stream for createLogger; undefined means pino's own JSON to stdout. */
export function logDestination(
  format: LogFormat | undefined,
  out: NodeJS.WritableStream & { isTTY?: boolean; fd?: number } = process.stdout,
): DestinationStream | undefined {
  const usePretty = format === 'pretty' || (format === undefined && out.isTTY === true);
  if (!usePretty) return out === process.stdout ? undefined : out;
  return pretty({
    destination: out,
    colorize: out.isTTY === true,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
  });
}
