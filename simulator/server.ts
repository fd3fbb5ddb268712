// The Level simulator's HTTP server (node:http on loopback). Each request goes through the same
// stages as it would at Level plus test hooks: stats → latency → scripted faults → auth →
// rate limit → route.
import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiKeyRing, ApiKeySpec } from './api-keys';
import { runAutomation, type AutomationAction, type AutomationRun } from './automation';
import { Fault, FaultInjector } from './faults';
import { Fleet } from './fleet';
import { generateFleet, GenerateFleetOptions } from './generator';
import { sendHtml, sendJson, sleep } from './http-io';
import { HttpError } from './params';
import { RateLimiter, RateLimitOptions } from './rate-limiter';
import { route } from './routes';
import { SimulatorStats } from './stats';

export interface LevelSimulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1: the simulator only ever listens on loopback by default. */
  host?: string;
  /** Accepted keys; when omitted one random read-write key is generated (see `apiKey`). */
  apiKeys?: ApiKeySpec[];
  /** A ready fleet, or options to generate one. Default: a small generated fleet. */
  fleet?: Fleet | GenerateFleetOptions;
  /** Token bucket per key; off by default. */
  rateLimit?: RateLimitOptions | null;
  /** Fixed delay before answering each request. Default 0. */
  latencyMs?: number;
}

export interface LevelSimulator {
  /** e.g. http://127.0.0.1:43817 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The first accepted key. */
  readonly apiKey: string;
  readonly fleet: Fleet;
  readonly faults: FaultInjector;
  readonly stats: SimulatorStats;
  /** Changeable at runtime. */
  latencyMs: number;
  setRateLimit(options: RateLimitOptions | null): void;
  setApiKeys(keys: ApiKeySpec[]): void;
  /** Runs an automation's HTTP request action for the device, as Level does (see automation.ts). */
  runAutomation(deviceId: string, action: AutomationAction): Promise<AutomationRun>;
  close(): Promise<void>;
}

export const DEFAULT_SIMULATOR_FLEET: GenerateFleetOptions = {
  seed: 1,
  groups: 12,
  depth: 3,
  devices: 60,
  ungroupedDevices: 3,
  alerts: 10,
};

export async function startLevelSimulator(options: LevelSimulatorOptions = {}): Promise<LevelSimulator> {
  const simulator = new SimulatorServer(options);
  await simulator.listen(options.port ?? 0, options.host ?? '127.0.0.1');
  return simulator;
}

class SimulatorServer implements LevelSimulator {
  readonly fleet: Fleet;
  readonly faults = new FaultInjector();
  readonly stats = new SimulatorStats();
  latencyMs: number;
  private readonly keys: ApiKeyRing;
  private limiter: RateLimiter | null = null;
  private readonly server: Server;
  private address: AddressInfo | null = null;

  constructor(options: LevelSimulatorOptions) {
    const fleet = options.fleet ?? DEFAULT_SIMULATOR_FLEET;
    this.fleet = fleet instanceof Fleet ? fleet : generateFleet(fleet);
    this.keys = new ApiKeyRing(options.apiKeys ?? [randomBytes(24).toString('base64url')]);
    this.latencyMs = options.latencyMs ?? 0;
    this.setRateLimit(options.rateLimit ?? null);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => this.internalError(res, error));
    });
  }

  get url(): string {
    if (!this.address) throw new Error('Simulator is not listening');
    return `http://${this.address.address}:${this.address.port}`;
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  get apiKey(): string {
    return this.keys.primary;
  }

  setRateLimit(options: RateLimitOptions | null): void {
    this.limiter = options ? new RateLimiter(options) : null;
  }

  setApiKeys(keys: ApiKeySpec[]): void {
    this.keys.replace(keys);
  }

  runAutomation(deviceId: string, action: AutomationAction): Promise<AutomationRun> {
    return runAutomation(this.fleet, deviceId, action);
  }

  listen(port: number, host: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.address = this.server.address() as AddressInfo;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive sockets (fetch pools them) and hung requests would hold close() open.
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // No endpoint reads a body; drain it so the socket can be reused.
    const url = new URL(req.url ?? '/', 'http://simulator');
    this.stats.record(url.pathname);
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const fault = this.faults.take(url.pathname);
    if (fault) return this.applyFault(fault, req, res);
    const method = req.method ?? 'GET';
    const auth = this.keys.authorize(req.headers.authorization, method !== 'GET' && method !== 'HEAD');
    if (!auth.ok) return sendJson(res, auth.status, { error: auth.error });
    const decision = this.limiter?.take(auth.key) ?? { allowed: true };
    if (!decision.allowed) return this.tooManyRequests(res, decision.retryAfterSeconds);
    this.answer(res, method, url);
  }

  private answer(res: ServerResponse, method: string, url: URL): void {
    try {
      const segments = url.pathname
        .split('/')
        .filter((part) => part !== '')
        .map(decodeSegment);
      const result = route(this.fleet, this.stats, { method, segments, params: url.searchParams });
      sendJson(res, result.status, result.body);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendJson(res, error.status, { error: error.message });
    }
  }

  private tooManyRequests(res: ServerResponse, retryAfterSeconds: number): void {
    this.stats.rateLimited += 1;
    sendJson(res, 429, { error: 'Rate limit exceeded' }, { 'retry-after': String(retryAfterSeconds) });
  }

  private applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
    switch (fault.kind) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'hang':
        return;
      case 'html':
        return sendHtml(res, fault.status ?? 200);
      default:
        if (fault.status === 429) return this.tooManyRequests(res, fault.retryAfterSeconds ?? 1);
        return sendJson(res, fault.status, fault.body ?? { error: `Simulated HTTP ${fault.status}` });
    }
  }

  private internalError(res: ServerResponse, error: unknown): void {
    if (res.headersSent) return void res.destroy();
    sendJson(res, 500, { error: `Simulator failure: ${error instanceof Error ? error.message : String(error)}` });
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in path');
  }
}
