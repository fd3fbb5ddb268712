// A TCP proxy that stands for "PostgreSQL restarts" without restarting the machine's shared
// PostgreSQL: the topology's API and worker processes reach the database through it, and an
// outage cuts every connection it carries (as a killed server's sockets close) and resets every
// new one at once (the server is not there) for a while, then lets connections through again.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  /** host:port to connect to instead of the upstream. */
  address: string;
  /** Connections an outage cut, and connections refused while it lasted. */
  readonly stats: { dropped: number; refused: number };
  /** Cuts every connection, refuses new ones for `downMs`, then accepts again. */
  outage(downMs: number): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(upstream: string): Promise<TcpProxy> {
  const at = upstream.lastIndexOf(':');
  const host = upstream.slice(0, at);
  const port = Number(upstream.slice(at + 1));
  const pairs = new Set<[Socket, Socket]>();
  const stats = { dropped: 0, refused: 0 };
  let down = false;

  const server = createServer({ noDelay: true }, (client) => {
    client.on('error', () => undefined);
    if (down) {
      stats.refused += 1;
      client.resetAndDestroy();
      return;
    }
    const server = connect({ host, port, noDelay: true });
    server.on('error', () => undefined);
    const pair: [Socket, Socket] = [client, server];
    pairs.add(pair);
    // Either side gone: the other goes too (a half-open database connection helps nobody).
    for (const socket of pair) {
      socket.on('close', () => {
        pairs.delete(pair);
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server);
    server.pipe(client);
  });

  function cutAll(): void {
    for (const [client, server] of pairs) {
      stats.dropped += 1;
      client.destroy();
      server.destroy();
    }
    pairs.clear();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    stats,
    async outage(downMs) {
      down = true;
      cutAll();
      await new Promise((done) => setTimeout(done, downMs));
      down = false;
    },
    async close() {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A proxy in front of the PostgreSQL a postgres:// URL names, and that URL through the proxy. */
export async function proxyDatabase(databaseUrl: string): Promise<{ proxy: TcpProxy; url: string }> {
  const direct = new URL(databaseUrl);
  const proxy = await startTcpProxy(`${direct.hostname}:${direct.port || 5432}`);
  const proxied = new URL(databaseUrl);
  proxied.host = proxy.address;
  return { proxy, url: proxied.toString() };
}
