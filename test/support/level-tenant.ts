// A tenant connected to a Level simulator, with helpers for the group/sync endpoints.
import assert from 'node:assert/strict';
import { syncScheduleId } from '../../contracts/workflow-ids';
import type { SyncCounts } from '../../db/entities/sync-run';
import type { LevelSimulator } from '../../simulator';
import { allItems, apiAs } from './http';
import type { TestEnv } from './test-env';

export const LEVEL = '/api/v1/integrations/level';

export async function connectTenant(env: TestEnv, simulator: LevelSimulator) {
  const tenant = await env.createTenant();
  const api = apiAs(env.apiUrl, tenant.token);
  const saved = await api.put(LEVEL, { apiKey: simulator.apiKey, baseUrl: simulator.url });
  assert.equal(saved.status, 200, JSON.stringify(saved.body));

  const createClient = async (name: string): Promise<string> => {
    const created = await api.post('/api/v1/clients', { name });
    assert.equal(created.status, 201);
    return created.body.id as string;
  };
  const discover = async () => {
    const run = await api.post(`${LEVEL}/discover-groups?wait=true`);
    assert.equal(run.body.status, 'completed', JSON.stringify(run.body));
    return run.body.result as { groups: number; created: number; updated: number; removed: number };
  };
  const map = async (levelGroupId: string, clientId: string | null) => {
    const mapped = await api.put(`${LEVEL}/groups/${encodeURIComponent(levelGroupId)}/mapping`, { clientId });
    assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
    return mapped.body;
  };
  const sync = async () => {
    const run = await api.post(`${LEVEL}/device-sync?wait=true`);
    assert.equal(run.body.status, 'completed', JSON.stringify(run.body));
    return run.body.result as SyncCounts;
  };
  const assetIds = async (clientId: string, includeArchived = false): Promise<string[]> => {
    const listed = await allItems<{ levelDeviceId: string }>(
      api,
      `/api/v1/clients/${clientId}/assets${includeArchived ? '?includeArchived=true' : ''}`,
    );
    return listed.map((a) => a.levelDeviceId).sort();
  };
  return { tenant, api, createClient, discover, map, sync, assetIds };
}

/**
 * For a suite whose tenants may turn the scheduled sync on: returns `mappedTenant`, a tenant
 * connected to the simulator with its first top-level group mapped to a new client, and registers
 * the after-hook that deletes every such tenant's schedule (where there is none, nothing happens).
 */
export function scheduledSyncTenants() {
  const schedules: Array<{ env: TestEnv; id: string }> = [];
  after(async () => {
    for (const { env, id } of schedules)
      await env.temporalClient.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
  });
  return async function mappedTenant(env: TestEnv, simulator: LevelSimulator, clientName: string) {
    const t = await connectTenant(env, simulator);
    schedules.push({ env, id: syncScheduleId(t.tenant.tenantId) });
    await t.discover();
    const groups = (await t.api.get(`${LEVEL}/groups`)).body.items as Array<{
      levelGroupId: string;
      parentId: string | null;
    }>;
    await t.map(groups.find((g) => g.parentId === null)!.levelGroupId, await t.createClient(clientName));
    return t;
  };
}
