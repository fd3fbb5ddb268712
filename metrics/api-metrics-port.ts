// The API's /metrics on METRICS_PORT when set (it is then not on the API port, see
// api/routes/metrics.ts): for a scrape network kept apart from the one webhooks arrive on.
import type { Server } from 'node:http';
import type { Knex } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config/config';
import { createApiRegistry } from './api-registry';
import { startMetricsServer } from './metrics-server';

export async function startApiMetricsPort(
  config: Pick<AppConfig, 'metricsPort' | 'metricsToken' | 'host'>,
  knex: () => Knex,
): Promise<Server | undefined> {
  if (config.metricsPort === undefined) return undefined;
  return startMetricsServer({
    port: config.metricsPort,
    host: config.host,
    token: config.metricsToken,
    extra: [createApiRegistry(knex)],
  });
}
