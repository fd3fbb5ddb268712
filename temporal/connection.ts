// One Temporal connection per process. A NativeConnection serves both the worker and the
// client; it is opened lazily so the API can start (and report not-ready) while Temporal is down.
// TLS, mTLS and the API key (TemporalSecurity) apply to that one connection, so client and worker
// always connect the same way.
import { Client } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import { NativeConnection } from '@temporalio/worker';
import { explainConnectFailure } from './connect-failure';
import { TemporalSecurity } from './connection-security';
import { activeTracing } from '../tracing/tracing';

export class TemporalGateway {
  private connecting: Promise<NativeConnection> | undefined;
  private client: Client | undefined;

  constructor(
    readonly address: string,
    readonly namespace: string,
    private readonly security: TemporalSecurity = TemporalSecurity.none,
  ) {}

  async connection(): Promise<NativeConnection> {
    this.connecting ??= NativeConnection.connect({ address: this.address, ...this.security.connectionOptions() }).catch(
      (err: unknown) => {
        this.connecting = undefined; // try again on the next call
        throw explainConnectFailure(err, this.address, this.security);
      },
    );
    return this.connecting;
  }

  async getClient(): Promise<Client> {
    if (this.client) return this.client;
    const connection = await this.connection();
    // With tracing on, each start and signal carries the caller's trace into the run.
    const interceptors = activeTracing()
      ? { interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } }
      : {};
    this.client ??= new Client({ connection, namespace: this.namespace, ...interceptors });
    return this.client;
  }

  /** True when the frontend answers a cheap call within the timeout. */
  async isReachable(timeoutMs = 2000): Promise<boolean> {
    try {
      const connection = await withTimeout(this.connection(), timeoutMs);
      await withTimeout(
        connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({})),
        timeoutMs,
      );
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    const pending = this.connecting;
    this.connecting = undefined;
    this.client = undefined;
    if (pending) await pending.then((c) => c.close()).catch(() => undefined);
  }
}

/** The promise, or a rejection once `ms` have passed (the message says what did not answer). */
export function withTimeout<T>(promise: Promise<T>, ms: number, message = `timed out after ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
