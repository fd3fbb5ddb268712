// Production entry point for a worker (`npm run start:worker`): needs DATABASE_URL,
// TEMPORAL_ADDRESS and MASTER_KEY. Run as many as the load needs.
import { setPriority } from 'node:os';
import { loadConfig, requireProductionSettings } from '../config/config';
import { createLogger } from '../config/logger';
import { logDestination } from '../config/log-format';
import { openServices } from '../runtime/services';
import { onShutdown } from '../runtime/shutdown';
import { startWorker, stopWorker } from './run-worker';
import { installTemporalRuntime } from '../temporal/runtime-logging';
import { startTracing } from '../tracing/tracing';
import { startMetricsServer, stopMetricsServer } from '../metrics/metrics-server';

async function main(): Promise<void> {
  const config = loadConfig();
  requireProductionSettings(config);
  // Before any thread is started: threads inherit the niceness of the thread that creates them.
  if (config.workerNiceness > 0) setPriority(config.workerNiceness);
  const logger = createLogger(config.logLevel, 'level-worker', logDestination(config.logFormat));
  await installTemporalRuntime(logger);
  // Before any client or worker is made: they wire their interceptors from it.
  const tracing = startTracing({ otlpEndpoint: config.otlpEndpoint, serviceName: 'levelsync-worker' });
  const services = await openServices(config, logger);
  const running = await startWorker(services, config, logger, { bundleOutOfProcess: true });
  // Activities' metrics (Level requests, syncs, routings) and the SDK's own are counted here.
  const metricsServer = await startMetricsServer({
    port: config.workerMetricsPort,
    host: config.host,
    token: config.metricsToken,
  });
  logger.info(
    {
      taskQueue: config.taskQueue,
      metrics: `http://localhost:${config.workerMetricsPort}/metrics`,
      temporal: config.temporalSecurity.summary(),
    },
    'worker running',
  );
  onShutdown(logger, [
    () => stopWorker(running),
    () => stopMetricsServer(metricsServer),
    () => services.close(),
    async () => tracing?.shutdown(),
  ]);
  await running.done;
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
