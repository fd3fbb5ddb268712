// Serving the Koa app over HTTP.
import type { Server } from 'node:http';
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import type { Services } from '../runtime/services';
import { createApp } from './app';
import type { AppDeps } from './deps';
import { settleBackgroundDeliveries } from './webhook/receiver';

export async function startApiServer(
  services: Services,
  config: AppConfig,
  logger: Logger,
  inboxRelay?: AppDeps['inboxRelay'],
): Promise<Server> {
  const app = createApp({ ...services, logger, config, ...(inboxRelay ? { inboxRelay } : {}) });
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

/** Stops accepting, then lets accepted events finish settling their inbox rows (bounded). */
export async function closeServer(server: Server): Promise<void> {
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await settleBackgroundDeliveries();
}
