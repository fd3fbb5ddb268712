// A TCP proxy that holds every chunk for a while in both directions: a real connection to a real
// server, made slow at the network edge (tests use it to stand for an overloaded Temporal).
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  /** host:port to connect to instead of the upstream. */
  address: string;
  /** Delay added to every chunk, each way; change it at any time. */
  delayMs: number;
  close(): Promise<void>;
}

export async function startDelayProxy(upstream: string, delayMs = 0): Promise<DelayProxy> {
  const [host, port] = splitAddress(upstream);
  const sockets = new Set<Socket>();
  const proxy: DelayProxy = { address: '', delayMs, close };
  const server = createServer((client) => {
    const server = connect(port, host);
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    relay(client, server);
    relay(server, client);
  });
  // Chunks keep their order: every one waits the same delay, and timers of equal delay fire in order.
  function relay(from: Socket, to: Socket) {
    from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), proxy.delayMs));
    from.on('end', () => setTimeout(() => to.end(), proxy.delayMs));
  }
  async function close() {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

function splitAddress(address: string): [string, number] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at), Number(address.slice(at + 1))];
}
