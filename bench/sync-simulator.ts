// Child process of `npm run bench:sync`: the Level simulator with a generated fleet, in its own
// process so the worker's RSS is not inflated by the fleet. Talks to the parent over IPC:
// sends `{ type: 'ready', url, apiKey, groups, devices }`, answers `{ type: 'stats' }` with the
// request counters, and exits on `{ type: 'stop' }` or when the parent goes away.
import { startLevelSimulator } from '../simulator';

export interface SimulatorChildOptions {
  seed: number;
  groups: number;
  depth: number;
  devices: number;
  latencyMs: number;
}

export type SimulatorChildMessage =
  | { type: 'ready'; url: string; apiKey: string; groups: number; devices: number; buildMs: number }
  | { type: 'stats'; devices: number; groups: number; total: number };

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
  });
  const send = (message: SimulatorChildMessage) => process.send?.(message);
  const stop = () => {
    void simulator.close().finally(() => process.exit(0));
    // Never hang on a stuck socket.
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'stats') {
      send({
        type: 'stats',
        devices: simulator.stats.countUnder('/v2/devices'),
        groups: simulator.stats.countUnder('/v2/groups'),
        total: simulator.stats.total,
      });
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
