// A /metrics endpoint on its own port: the worker's (WORKER_METRICS_PORT), and the API's when
// METRICS_PORT moves it off the API port. Plain node:http: nothing else is served here.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { METRICS_CONTENT_TYPE, renderMetrics, scrapeAllowed } from './exposition';

export interface MetricsServerOptions {
  port: number;
  host: string;
  token: string | undefined;
  /** Registries this endpoint serves besides the process's own. */
  extra?: readonly Registry[];
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return void res.writeHead(404).end();
    if (!scrapeAllowed(req.headers.authorization, options.token))
      return void res.writeHead(401, { 'WWW-Authenticate': 'Bearer' }).end();
    renderMetrics(options.extra).then(
      (text) => res.writeHead(200, { 'Content-Type': METRICS_CONTENT_TYPE }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

export async function stopMetricsServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
