// Production entry point for the API (`npm run start:api`): needs DATABASE_URL,
// TEMPORAL_ADDRESS and MASTER_KEY.
import { loadConfig, requireProductionSettings } from '../config/config';
import { createLogger } from '../config/logger';
import { logDestination } from '../config/log-format';
import { openServices } from '../runtime/services';
import { onShutdown } from '../runtime/shutdown';
import { closeServer, startApiServer } from './server';
import { installTemporalRuntime } from '../temporal/runtime-logging';
import { startTracing } from '../tracing/tracing';
import { startInboxRelay } from '../runtime/inbox-relay';
import { startApiMetricsPort } from '../metrics/api-metrics-port';
import { stopMetricsServer } from '../metrics/metrics-server';

async function main(): Promise<void> {
  const config = loadConfig();
  requireProductionSettings(config);
  const logger = createLogger(config.logLevel, 'level-api', logDestination(config.logFormat));
  await installTemporalRuntime(logger);
  // Before any client or worker is made: they wire their interceptors from it.
  const tracing = startTracing({ otlpEndpoint: config.otlpEndpoint, serviceName: 'levelsync-api' });
  const services = await openServices(config, logger);
  // Delivers webhook events the receiver left in the inbox (Temporal unreachable, busy or slow).
  const relay = startInboxRelay({
    orm: services.orm,
    temporal: services.temporal,
    taskQueue: config.taskQueue,
    logger,
  });
  const server = await startApiServer(services, config, logger, relay);
  const metricsServer = await startApiMetricsPort(config, () => services.orm.em.getKnex());
  logger.info(
    {
      url: `http://localhost:${config.port}`,
      metrics: `http://localhost:${config.metricsPort ?? config.port}/metrics`,
      temporal: config.temporalSecurity.summary(),
    },
    'API listening',
  );
  onShutdown(logger, [
    () => closeServer(server),
    async () => metricsServer && stopMetricsServer(metricsServer),
    () => relay.stop(),
    () => services.close(),
    async () => tracing?.shutdown(),
  ]);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
