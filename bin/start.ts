// `npm start`: one process runs the API and a worker. Without DATABASE_URL it runs an embedded
// PostgreSQL, without TEMPORAL_ADDRESS a local Temporal dev server with its Web UI, and without
// MASTER_KEY it generates one; all state lives under ./.data/.
import { mkdirSync } from 'node:fs';
import { closeServer, startApiServer } from '../api/server';
import { loadConfig } from '../config/config';
import { createLogger } from '../config/logger';
import { logDestination } from '../config/log-format';
import { countTenants, createTenantWithToken } from '../db/tenants';
import { startEmbeddedPostgres } from '../devserver/embedded-postgres';
import { startTemporalDevServer } from '../devserver/temporal-dev-server';
import * as defaults from '../runtime/embedded-defaults';
import { DEMO_LEVEL_HOST, demoRequested, startDemo } from '../runtime/demo';
import { openServices, type Services } from '../runtime/services';
import { onShutdown } from '../runtime/shutdown';
import { parseMasterKey } from '../security/secret-box';
import { startWorker, stopWorker } from '../worker/run-worker';
import { installTemporalRuntime } from '../temporal/runtime-logging';
import { startTracing } from '../tracing/tracing';
import { startInboxRelay } from '../runtime/inbox-relay';
import { TemporalSecurity } from '../temporal/connection-security';
import { startApiMetricsPort } from '../metrics/api-metrics-port';
import { stopMetricsServer } from '../metrics/metrics-server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, undefined, logDestination(config.logFormat));
  await installTemporalRuntime(logger);
  // Before any client or worker is made: they wire their interceptors from it.
  const tracing = startTracing({ otlpEndpoint: config.otlpEndpoint, serviceName: 'levelsync' });
  mkdirSync(defaults.DATA_DIR, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  // Runs last: spans still buffered are flushed to the collector.
  if (tracing) stops.push(() => tracing.shutdown());

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.info({ dir: defaults.EMBEDDED_POSTGRES_DIR }, 'starting embedded PostgreSQL');
    const pg = await startEmbeddedPostgres({
      dataDir: defaults.EMBEDDED_POSTGRES_DIR,
      port: defaults.EMBEDDED_POSTGRES_PORT,
    });
    stops.unshift(() => pg.stop());
    databaseUrl = pg.url;
  }

  let temporalAddress = config.temporalAddress;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    logger.info('starting Temporal dev server (first run may build the Temporal CLI)');
    const server = await startTemporalDevServer({
      port: defaults.TEMPORAL_DEV_PORT,
      uiPort: defaults.TEMPORAL_UI_PORT,
      dbFilename: defaults.TEMPORAL_DB_FILE,
      namespace: config.temporalNamespace,
      log: (line) => logger.info(line),
    });
    stops.unshift(() => server.stop());
    temporalAddress = server.address;
    temporalUi = server.uiUrl?.replace('127.0.0.1', 'localhost');
  }

  const masterKey = config.masterKey ?? parseMasterKey(defaults.localMasterKey());
  const demo = demoRequested(process.argv.slice(2), process.env);
  // Demo mode's simulated Level is on loopback: allowed for this run only.
  const levelHosts = demo ? config.levelHosts.including(DEMO_LEVEL_HOST) : config.levelHosts;
  // TEMPORAL_TLS_* / TEMPORAL_API_KEY are for TEMPORAL_ADDRESS; the local dev server is plaintext on loopback.
  if (!config.temporalAddress && config.temporalSecurity.tlsEnabled)
    logger.warn(
      'TEMPORAL_TLS_* and TEMPORAL_API_KEY apply only with TEMPORAL_ADDRESS: ignored for the local dev server',
    );
  const temporalSecurity = config.temporalAddress ? config.temporalSecurity : TemporalSecurity.none;
  const resolved = { ...config, databaseUrl, temporalAddress, masterKey, levelHosts, temporalSecurity };
  const services = await openServices(resolved, logger);
  stops.unshift(() => services.close());
  const { worker, done } = await startWorker(services, resolved, logger, { bundleOutOfProcess: true });
  stops.unshift(() => stopWorker({ worker, done }));
  // Delivers webhook events the receiver left in the inbox (Temporal unreachable, busy or slow).
  const relay = startInboxRelay({
    orm: services.orm,
    temporal: services.temporal,
    taskQueue: resolved.taskQueue,
    logger,
  });
  stops.unshift(() => relay.stop());
  const server = await startApiServer(services, resolved, logger, relay);
  stops.unshift(() => closeServer(server));
  // One process, one registry: the API's /metrics also carries the worker's activities' metrics.
  const metricsServer = await startApiMetricsPort(config, () => services.orm.em.getKnex());
  if (metricsServer) stops.unshift(() => stopMetricsServer(metricsServer));
  onShutdown(logger, stops);

  const firstTenant = await ensureDefaultTenant(services);
  let demoUrl: string | undefined;
  if (demo) {
    const simulator = await startDemo(services.orm.em.fork(), services.secretBox);
    stops.push(() => simulator.close());
    demoUrl = simulator.url;
  }
  printBanner({ apiUrl: `http://localhost:${config.port}`, temporalUi, firstTenant, demoUrl });
}

async function ensureDefaultTenant(services: Services) {
  const em = services.orm.em.fork();
  if ((await countTenants(em)) > 0) return undefined;
  return createTenantWithToken(em, 'Default');
}

function printBanner(info: {
  apiUrl: string;
  temporalUi: string | undefined;
  firstTenant: { tenantId: string; token: string } | undefined;
  demoUrl: string | undefined;
}): void {
  const lines = [
    '',
    `  Console: ${info.apiUrl}   ← open it and sign in with an admin token`,
    '',
    `  API:          ${info.apiUrl}/api/v1   (OpenAPI: ${info.apiUrl}/api/v1/openapi.json)`,
    `  Temporal UI:  ${info.temporalUi ?? "(external Temporal: see your server's UI)"}`,
  ];
  if (info.firstTenant) {
    lines.push(
      '',
      '  First start: created tenant "Default". Its admin token is shown only this once:',
      `  tenantId:     ${info.firstTenant.tenantId}`,
      `  token:        ${info.firstTenant.token}   (paste it into the console's sign-in)`,
      `  Try:          curl -H "Authorization: Bearer ${info.firstTenant.token}" ${info.apiUrl}/api/v1/clients`,
    );
  }
  if (info.demoUrl) {
    lines.push(
      '',
      `  Demo mode:    the first tenant's Level integration points at a simulated fleet (${info.demoUrl}).`,
      '               Walk through it in the console, or with the API steps in README.md ("Demo walk-through").',
    );
  }
  console.log(`${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(`npm start failed: ${(err as Error).message}`);
  process.exit(1);
});
