// TLS in front of the Temporal dev server. The CLI's `server start-dev` (v1.5.1) has no TLS flags,
// so the tests put Node's TLS server in front of it, the way an ingress or load balancer fronts
// Temporal in production: it presents the server certificate, optionally demands a client
// certificate signed by `clientCa` (mTLS), and pipes the decrypted HTTP/2 to the real server.
import { connect, type AddressInfo, type Socket } from 'node:net';
import { createServer } from 'node:tls';

export interface TlsTerminator {
  address: string;
  /** Handshakes the terminator refused, with OpenSSL's reason (e.g. "peer did not return a certificate"). */
  refusedHandshakes: string[];
  close(): Promise<void>;
}

export interface TlsTerminatorOptions {
  /** host:port of the plaintext server behind. */
  upstream: string;
  cert: Buffer;
  key: Buffer;
  /** When set, only clients with a certificate this CA signed get through. */
  clientCa?: Buffer;
}

export async function startTlsTerminator(options: TlsTerminatorOptions): Promise<TlsTerminator> {
  const at = options.upstream.lastIndexOf(':');
  const [host, port] = [options.upstream.slice(0, at), Number(options.upstream.slice(at + 1))];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const mtls = options.clientCa ? { ca: options.clientCa, requestCert: true, rejectUnauthorized: true } : {};
  const server = createServer({ cert: options.cert, key: options.key, ALPNProtocols: ['h2'], ...mtls }, (client) => {
    const upstream = connect(port, host);
    track(client);
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  const refusedHandshakes: string[] = [];
  server.on('tlsClientError', (err) => refusedHandshakes.push(err.message));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    refusedHandshakes,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
