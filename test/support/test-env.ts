// The shared integration-test environment, started lazily by the first suite that needs it and
// stopped by the root after-hook: one real Temporal dev server (or TEMPORAL_ADDRESS), one fresh
// PostgreSQL database (on DATABASE_URL's server, else an embedded PostgreSQL) migrated with the
// committed migrations, one worker on a unique task queue, and the API (with its inbox relay) on
// a free port.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { Runtime, DefaultLogger, type LogEntry } from '@temporalio/worker';
import { createApp } from '../../api/app';
import { loadConfig, type AppConfig } from '../../config/config';
import { createLogger, type Logger } from '../../config/logger';
import { createScratchDatabase, dropScratchDatabase } from '../../db/scratch-database';
import { migrateToLatest, openOrm, type Orm } from '../../db/orm';
import { createTenantWithToken, type NewTenant } from '../../db/tenants';
import { startEmbeddedPostgres } from '../../devserver/embedded-postgres';
import { freePort } from '../../devserver/free-port';
import { startTemporalDevServer } from '../../devserver/temporal-dev-server';
import { coreMetricsTelemetry } from '../../metrics/temporal-core';
import { startInboxRelay, type InboxRelay } from '../../runtime/inbox-relay';
import type { ActivityDeps } from '../../activities/deps';
import type { Services } from '../../runtime/services';
import { createSecretBox, generateMasterKey } from '../../security/secret-box';
import { TemporalGateway } from '../../temporal/connection';
import { startWorker, stopWorker, type RunningWorker } from '../../worker/run-worker';
import { apiAs, serveApp } from './http';

export interface TestEnv {
  config: AppConfig;
  logger: Logger;
  services: Services;
  orm: Orm;
  temporalClient: Client;
  worker: RunningWorker;
  apiUrl: string;
  /** A fresh EntityManager fork for assertions. */
  em(): EntityManager;
  /** Stops the API's inbox relay (as in production, it delivers what the receiver left in the inbox); call the result to restart it. */
  pauseRelay(): Promise<() => void>;
  createTenant(name?: string): Promise<NewTenant>;
}

let envPromise: Promise<TestEnv> | undefined;
const sdkLogListeners = new Set<(entry: LogEntry) => void>();

/** Receives the Temporal SDK's log entries (warn and up) until the returned function is called. */
export function onSdkLog(listener: (entry: LogEntry) => void): () => void {
  sdkLogListeners.add(listener);
  return () => sdkLogListeners.delete(listener);
}
const cleanups: Array<() => Promise<void>> = [];

/** What the worker hands activities, from the test env (a generous Level budget unless given). */
export function activityDepsOf(env: TestEnv, levelRequestsPerMinute = 60_000): ActivityDeps {
  return {
    orm: env.orm,
    secretBox: env.services.secretBox,
    logger: env.logger,
    levelRequestsPerMinute,
    levelHosts: env.config.levelHosts,
  };
}

export function getTestEnv(): Promise<TestEnv> {
  envPromise ??= startTestEnv();
  return envPromise;
}

/** The tenant a test runs as, with its API client. */
export interface TenantApi {
  env: TestEnv;
  api: ReturnType<typeof apiAs>;
  tenantId: string;
}

/**
 * Registers a suite's hooks: the shared env once, then a new tenant before every test, so no test
 * sees another's rows. `started` receives the env, the tenant's API client and its id each time.
 */
export function tenantApiPerTest(started: (tenant: TenantApi) => void): void {
  let env: TestEnv;
  before(async () => {
    env = await getTestEnv();
  });
  beforeEach(async () => {
    const tenant = await env.createTenant();
    started({ env, api: apiAs(env.apiUrl, tenant.token), tenantId: tenant.tenantId });
  });
}

export async function stopTestEnv(): Promise<void> {
  envPromise = undefined;
  while (cleanups.length > 0) {
    const cleanup = cleanups.pop()!;
    await cleanup().catch((err: unknown) => console.error('test cleanup failed:', (err as Error).message));
  }
}

async function startTestEnv(): Promise<TestEnv> {
  // The SDK's own log lines (warnings and up) go to whoever listens (the secrets-in-logs test);
  // only errors are printed, and failures still surface through the tests.
  Runtime.install({
    // The SDK's Prometheus exporter, as the entry points install it (the metrics test scrapes it).
    telemetryOptions: await coreMetricsTelemetry(),
    logger: new DefaultLogger('WARN', (entry) => {
      for (const listener of sdkLogListeners) listener(entry);
      if (entry.level === 'ERROR') console.error(`[temporal-sdk] ${entry.message}`, entry.meta ?? '');
    }),
  });
  const [temporalAddress, databaseUrl] = await Promise.all([temporalServer(), scratchDatabase()]);
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalAddress,
    TEMPORAL_TASK_QUEUE: `level-test-${process.pid}-${randomBytes(3).toString('hex')}`,
    MASTER_KEY: generateMasterKey(),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    RUN_WAIT_TIMEOUT_MS: '30000',
    // Suites that test the budget set their own; the others should not wait on it.
    LEVEL_REQUESTS_PER_MINUTE: '60000',
    // Simulators listen on 127.0.0.1, each on its own port.
    LEVEL_ALLOWED_HOSTS: '127.0.0.1',
  });
  const logger = createLogger(config.logLevel, 'test');
  const orm = await openOrm(databaseUrl);
  cleanups.push(() => orm.close());
  await migrateToLatest(orm);
  const temporal = new TemporalGateway(temporalAddress, config.temporalNamespace);
  cleanups.push(() => temporal.close());
  const services: Services = {
    orm,
    temporal,
    secretBox: createSecretBox(config.masterKey!),
    close: async () => undefined,
  };

  const worker = await startWorker(services, config, logger);
  cleanups.push(() => stopWorker(worker));

  const startRelay = () => startInboxRelay({ orm, temporal, taskQueue: config.taskQueue, logger, intervalMs: 500 });
  let relay: InboxRelay | undefined = startRelay();
  cleanups.push(async () => relay?.stop());
  const inboxRelay = { wake: () => relay?.wake() };

  const api = await serveApp(createApp({ ...services, logger, config, inboxRelay }));
  cleanups.push(() => api.close());
  const apiUrl = api.url;

  return {
    config,
    logger,
    services,
    orm,
    temporalClient: await temporal.getClient(),
    worker,
    apiUrl,
    em: () => orm.em.fork(),
    async pauseRelay() {
      await relay?.stop();
      relay = undefined;
      return () => {
        relay ??= startRelay();
      };
    },
    createTenant: (name = `tenant-${randomBytes(3).toString('hex')}`) => createTenantWithToken(orm.em.fork(), name),
  };
}

async function temporalServer(): Promise<string> {
  if (process.env.TEMPORAL_ADDRESS) return process.env.TEMPORAL_ADDRESS;
  const server = await startTemporalDevServer({ log: (line) => console.error(line) });
  cleanups.push(() => server.stop());
  return server.address;
}

async function scratchDatabase(): Promise<string> {
  const serverUrl = process.env.DATABASE_URL ?? (await embeddedServer());
  const name = `levelsync_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = await createScratchDatabase(serverUrl, name);
  cleanups.push(() => dropScratchDatabase(serverUrl, name));
  return url;
}

async function embeddedServer(): Promise<string> {
  const pg = await startEmbeddedPostgres({
    dataDir: `.data/test-pg-${process.pid}`,
    port: await freePort(),
    persistent: false,
  });
  cleanups.push(() => pg.stop());
  return pg.url;
}
