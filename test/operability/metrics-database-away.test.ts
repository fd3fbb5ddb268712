// /metrics with the database away: refused connections, and a database that accepts connections
// and never answers. The scrape still answers, with the process's own metrics and
// levelsync_database_up 0, instead of failing or holding the scrape until Prometheus gives up.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import type { Socket } from 'node:net';
import { knex, type Knex } from '@mikro-orm/postgresql';
import { createApiRegistry } from '../../metrics/api-registry';
import { renderMetrics } from '../../metrics/exposition';
import { freePort } from '../../devserver/free-port';
import { parseSamples } from './prometheus-text';

describe('metrics with the database away', function () {
  this.timeout(30_000);
  const clients: Knex[] = [];
  const servers: Array<{ server: Server; sockets: Set<Socket> }> = [];

  after(async () => {
    for (const { server, sockets } of servers) {
      for (const socket of sockets) socket.destroy();
      server.close();
    }
    await Promise.all(clients.map((client) => client.destroy().catch(() => undefined)));
  });

  const pgAt = (port: number): Knex => {
    const client = knex({
      client: 'pg',
      connection: { host: '127.0.0.1', port, user: 'nobody', database: 'none' },
      pool: { min: 0, max: 2 },
      acquireConnectionTimeout: 60_000,
    });
    clients.push(client);
    return client;
  };

  /** A "database" that takes connections and never says a word. */
  async function silentDatabase(): Promise<number> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    servers.push({ server, sockets });
    return port;
  }

  const scrapeWith = async (client: Knex) => ({
    samples: parseSamples(await renderMetrics([createApiRegistry(() => client)])),
  });

  it('answers while the database hangs: process metrics, database_up 0, no inbox figures', async () => {
    const { samples } = await scrapeWith(pgAt(await silentDatabase()));
    assert.ok(samples.has('process_cpu_user_seconds_total'), 'the process metrics are served');
    assert.equal(samples.get('levelsync_database_up'), 0);
    assert.ok(
      ![...samples.keys()].some((key) => key.startsWith('levelsync_inbox_rows{')),
      'no inbox figure was made up',
    );
  });

  it('answers when the database refuses connections', async () => {
    const { samples } = await scrapeWith(pgAt(await freePort()));
    assert.ok(samples.has('process_cpu_user_seconds_total'));
    assert.equal(samples.get('levelsync_database_up'), 0);
  });
});
