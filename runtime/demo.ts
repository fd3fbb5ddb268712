// Demo mode (`npm start -- --demo` or DEMO=1): a simulated Level fleet runs in-process and the
// first tenant's integration points at it, so a newcomer can click through connection,
// discovery, mapping and sync without a Level account.
import type { EntityManager } from '@mikro-orm/postgresql';
import { TenantSchema } from '../db/entities';
import { saveIntegration } from '../db/integration-store';
import type { AllowedHost } from '../level/host-policy';
import { startLevelSimulator, type LevelSimulator } from '../simulator';
import type { SecretBox } from '../security/secret-box';

export const DEMO_SIMULATOR_PORT = Number(process.env.DEMO_SIMULATOR_PORT ?? 4010);
/** The simulator's address, added to LEVEL_ALLOWED_HOSTS in demo mode. */
export const DEMO_LEVEL_HOST: AllowedHost = { host: '127.0.0.1', port: DEMO_SIMULATOR_PORT };
/** Only ever valid against the local simulator. */
const DEMO_API_KEY = 'demo-level-api-key';

export async function startDemo(em: EntityManager, secretBox: SecretBox): Promise<LevelSimulator> {
  const simulator = await startLevelSimulator({
    port: DEMO_SIMULATOR_PORT,
    apiKeys: [DEMO_API_KEY],
    fleet: { seed: 42, groups: 40, depth: 4, devices: 800, ungroupedDevices: 12, alerts: 40 },
  });
  const [tenant] = await em.find(TenantSchema, {}, { orderBy: { createdAt: 'asc' }, limit: 1 });
  if (tenant) await saveIntegration(em, secretBox, tenant.id, { apiKey: DEMO_API_KEY, baseUrl: simulator.url });
  return simulator;
}

export function demoRequested(argv: string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--demo') || env.DEMO === '1' || env.DEMO === 'true';
}
