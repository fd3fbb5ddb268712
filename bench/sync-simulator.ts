// Child process of `npm run bench:sync`: the Level simulator with a generated fleet, in its own
// process so the worker's RSS is not inflated by the fleet. Talks to the parent over IPC:
// sends `{ type: 'ready', url, apiKey, groups, devices }`, answers `{ type: 'stats' }` with the
// request counters, and exits on `{ type: 'stop' }` or when the parent goes away.
// For the budget-bound case (bench/sync-budget.ts) it can also enforce Level's per-key limit
// (`requestsPerMinute`), keep the time and path of every request (`trace`; `{ type: 'trace' }`
// answers them), and fire an alert as Level does (`{ type: 'fire' }`: a new active alert on a
// device, then the automation's HTTP request action to the webhook, see simulator/automation.ts).
import { startLevelSimulator } from '../simulator';
import { Prng } from '../simulator/prng';

export interface SimulatorChildOptions {
  seed: number;
  groups: number;
  depth: number;
  devices: number;
  latencyMs: number;
  /** Level's own limit per API key (429 beyond it); absent: none. */
  requestsPerMinute?: number;
  /** Keep [time, path] of every request. */
  trace?: boolean;
}

/** Level runs the alert automation's HTTP request action for one device (a new alert on it first). */
export interface FireMessage {
  type: 'fire';
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  alertName: string;
}

export type SimulatorChildMessage =
  | { type: 'ready'; url: string; apiKey: string; groups: number; devices: number; buildMs: number }
  | { type: 'stats'; devices: number; groups: number; total: number; rateLimited: number }
  | { type: 'trace'; requests: Array<[number, string]> }
  | { type: 'fired'; alertId: string; deviceId: string; status: number; sentAt: number; answeredAt: number };

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_SIMULATOR ?? '{}') as SimulatorChildOptions;
  const started = Date.now();
  const simulator = await startLevelSimulator({
    fleet: {
      seed: options.seed,
      groups: options.groups,
      depth: options.depth,
      devices: options.devices,
      ungroupedDevices: 0,
    },
    latencyMs: options.latencyMs,
    rateLimit: options.requestsPerMinute ? { requestsPerMinute: options.requestsPerMinute } : null,
  });
  const trace: Array<[number, string]> = [];
  if (options.trace) {
    const record = simulator.stats.record.bind(simulator.stats);
    simulator.stats.record = (path: string) => {
      trace.push([Date.now(), path]);
      record(path);
    };
  }
  const pick = new Prng(options.seed + 1);
  const send = (message: SimulatorChildMessage) => process.send?.(message);
  const stop = () => {
    void simulator.close().finally(() => process.exit(0));
    // Never hang on a stuck socket.
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  const fire = async (message: FireMessage) => {
    const deviceId = pick.pick(simulator.fleet.sortedDeviceIds());
    const alert = simulator.fleet.addAlert({ deviceId, name: message.alertName, severity: 'warning' });
    const sentAt = Date.now();
    const run = await simulator
      .runAutomation(deviceId, { url: message.url, headers: message.headers, body: message.body })
      .catch(() => ({ status: 0 }));
    send({ type: 'fired', alertId: alert.id, deviceId, status: run.status, sentAt, answeredAt: Date.now() });
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      send({
        type: 'stats',
        devices: simulator.stats.countUnder('/v2/devices'),
        groups: simulator.stats.countUnder('/v2/groups'),
        total: simulator.stats.total,
        rateLimited: simulator.stats.rateLimited,
      });
    } else if (message.type === 'trace') {
      send({ type: 'trace', requests: trace });
    } else if (message.type === 'fire') {
      void fire(message as FireMessage);
    } else if (message.type === 'stop') stop();
  });
  process.on('disconnect', stop);
  send({
    type: 'ready',
    url: simulator.url,
    apiKey: simulator.apiKey,
    groups: simulator.fleet.groupCount,
    devices: simulator.fleet.deviceCount,
    buildMs: Date.now() - started,
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
