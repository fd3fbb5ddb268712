// The console on the demo fleet, for `npm run screenshots` and `npm run bench:console`: the
// tests' in-process stack (Temporal dev server, scratch PostgreSQL database, worker, API) and a
// Level simulator with the fleet `npm start -- --demo` serves (40 groups, 800 devices), set up
// through the API as an admin would: key saved and tested, groups discovered, the top-level
// groups mapped to clients, devices synced.
import { startLevelSimulator, type LevelSimulator } from '../simulator';
import { apiAs } from '../test/support/http';
import { getTestEnv, stopTestEnv, type TestEnv } from '../test/support/test-env';
import { expectOk, runToEnd } from './alerts-stack';

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
  await expectOk(api.put(LEVEL, { apiKey: simulator.apiKey, baseUrl: simulator.url }));
  await runToEnd(api, `${LEVEL}/test-connection`);
  await runToEnd(api, `${LEVEL}/discover-groups`);
  const groups = (await expectOk(api.get(`${LEVEL}/groups`))).items as Array<{
    levelGroupId: string;
    name: string;
    parentId: string | null;
  }>;
  const roots = groups.filter((group) => group.parentId === null).slice(0, options.mappedRoots ?? 3);
  for (const root of roots) {
    const client = await expectOk(api.post('/api/v1/clients', { name: root.name }));
    await expectOk(
      api.put(`${LEVEL}/groups/${encodeURIComponent(root.levelGroupId)}/mapping`, { clientId: client.id }),
    );
  }
  await runToEnd(api, `${LEVEL}/device-sync`);
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
