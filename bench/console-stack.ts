// The console on the demo fleet, for `npm run screenshots` and `npm run bench:console`: the
// tests' in-process stack (Temporal dev server, scratch PostgreSQL database, worker, API) and a
// Level simulator with the fleet `npm start -- --demo` serves (40 groups, 800 devices), set up
// through the API as an admin would: key saved and tested, groups discovered, the top-level
// groups mapped to clients, devices synced.
import assert from 'node:assert/strict';
import { startLevelSimulator, type LevelSimulator } from '../simulator';
import { apiAs } from '../test/support/http';
import { getTestEnv, stopTestEnv, type TestEnv } from '../test/support/test-env';

/** runtime/demo.ts's fleet. */
export const DEMO_FLEET = { seed: 42, groups: 40, depth: 4, devices: 800, ungroupedDevices: 12, alerts: 40 };
const LEVEL = '/api/v1/integrations/level';

export interface ConsoleStack {
  env: TestEnv;
  simulator: LevelSimulator;
  token: string;
  groups: number;
  stop(): Promise<void>;
}

export async function startConsoleStack(options: { mappedRoots?: number } = {}): Promise<ConsoleStack> {
  // The Webhook URL on the card reads as it would under `npm start` (the stack's API port is random).
  process.env.PUBLIC_URL ??= 'http://localhost:3000';
  const env = await getTestEnv();
  const simulator = await startLevelSimulator({ fleet: DEMO_FLEET });
  const tenant = await env.createTenant('Demo MSP');
  const api = apiAs(env.apiUrl, tenant.token);
  const ok = (response: { status: number; body: any }, what: string) => {
    assert.ok(
      response.status < 300 && response.body?.status !== 'failed',
      `${what}: ${response.status} ${JSON.stringify(response.body)}`,
    );
    return response.body;
  };
  ok(await api.put(LEVEL, { apiKey: simulator.apiKey, baseUrl: simulator.url }), 'save key');
  ok(await api.post(`${LEVEL}/test-connection?wait=true`), 'test connection');
  ok(await api.post(`${LEVEL}/discover-groups?wait=true`), 'discover groups');
  const groups = ok(await api.get(`${LEVEL}/groups`), 'groups').items as Array<{
    levelGroupId: string;
    name: string;
    parentId: string | null;
  }>;
  const roots = groups.filter((group) => group.parentId === null).slice(0, options.mappedRoots ?? 3);
  for (const root of roots) {
    const client = ok(await api.post('/api/v1/clients', { name: root.name }), 'create client');
    ok(
      await api.put(`${LEVEL}/groups/${encodeURIComponent(root.levelGroupId)}/mapping`, { clientId: client.id }),
      'map group',
    );
  }
  ok(await api.post(`${LEVEL}/device-sync?wait=true`), 'device sync');
  return {
    env,
    simulator,
    token: tenant.token,
    groups: groups.length,
    async stop() {
      await simulator.close();
      await stopTestEnv();
    },
  };
}
