// Graceful shutdown on SIGINT/SIGTERM: run the steps in order, then exit.
import type { Logger } from '../config/logger';

export function onShutdown(logger: Logger, steps: Array<() => Promise<void>>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const step of steps) {
      await step().catch((err: unknown) => logger.error({ err: (err as Error).message }, 'shutdown step failed'));
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
