// Routes the Temporal SDK's own log lines (worker state, retries) into our JSON logger, at
// warn and above unless LOG_LEVEL asks for more, and turns on the SDK's Prometheus metrics (served
// through our /metrics, see metrics/temporal-core.ts). Must run once, before any connection.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../config/logger';
import { coreMetricsTelemetry } from '../metrics/temporal-core';

const SDK_LEVELS: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'WARN',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
  silent: 'ERROR',
};

export async function installTemporalRuntime(logger: Logger): Promise<void> {
  const sdkLogger = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    telemetryOptions: await coreMetricsTelemetry(),
    logger: new DefaultLogger(SDK_LEVELS[logger.level] ?? 'WARN', (entry) => {
      const level =
        entry.level === 'TRACE'
          ? 'trace'
          : entry.level === 'DEBUG'
            ? 'debug'
            : entry.level === 'INFO'
              ? 'info'
              : entry.level === 'WARN'
                ? 'warn'
                : 'error';
      sdkLogger[level](entry.meta ?? {}, entry.message);
    }),
  });
}
