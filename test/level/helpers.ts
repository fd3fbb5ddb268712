// Shared setup for the Level client/simulator suites: a simulator on loopback and a client
// tuned for fast tests (tiny backoff, short timeout).
import { createLevelClient, LevelClient, LevelClientOptions } from '../../level/client';
import { Fleet, LevelSimulator, LevelSimulatorOptions, startLevelSimulator } from '../../simulator';

export const KEY = 'lvl_test+key/With=Specials';
export const READ_ONLY_KEY = 'lvl_read_only_key';

export async function startSimulator(options: LevelSimulatorOptions = {}): Promise<LevelSimulator> {
  return startLevelSimulator({ apiKeys: [KEY, { key: READ_ONLY_KEY, readOnly: true }], ...options });
}

export function clientFor(simulator: LevelSimulator, options: Partial<LevelClientOptions> = {}): LevelClient {
  return createLevelClient({
    baseUrl: simulator.url,
    apiKey: KEY,
    retryBaseDelayMs: 1,
    timeoutMs: 2_000,
    ...options,
  });
}

/** Collects an async iterator into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Expects `promise` to reject; returns the rejection for further asserts. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/**
 * A small hand-made fleet with ids containing `/` and `+`:
 *   acme (a/cme+1) ─ branch (br/anch) ─ servers (se+rv)
 *   globex (gl+obex)
 * plus one ungrouped device.
 */
export function handMadeFleet(): Fleet {
  const fleet = new Fleet({ seed: 5 });
  fleet.addGroup({ id: 'a/cme+1', name: 'Acme Corp', parentId: null });
  fleet.addGroup({ id: 'br/anch', name: 'Branch Office', parentId: 'a/cme+1' });
  fleet.addGroup({ id: 'se+rv', name: 'Servers', parentId: 'br/anch' });
  fleet.addGroup({ id: 'gl+obex', name: 'Globex', parentId: null });
  fleet.addDevice({ id: 'dev/1', hostname: 'ACME-WS-1', groupId: 'a/cme+1', tags: ['vip'] });
  fleet.addDevice({ id: 'dev+2', hostname: 'ACME-WS-2', groupId: 'br/anch', serial_number: 'SER/2+X' });
  fleet.addDevice({ id: 'dev3', hostname: 'ACME-SRV-1', groupId: 'se+rv', role: 'server', tags: ['vip', 'sql'] });
  fleet.addDevice({ id: 'dev4', hostname: 'GLOBEX-WS-1', groupId: 'gl+obex' });
  fleet.addDevice({ id: 'dev5', hostname: 'LOOSE-1', groupId: null });
  fleet.addAlert({ id: 'al/1', deviceId: 'dev/1', name: 'Disk low', severity: 'critical' });
  fleet.addAlert({ id: 'al+2', deviceId: 'dev3', name: 'CPU high', resolvedAt: '2025-05-01T00:00:00.000Z' });
  return fleet;
}
