// Discover Groups, inherited mappings and Device Sync against the simulator over HTTP.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeviceSyncActivities, type ChunkInput, type ChunkResult } from '../../activities/device-sync-activities';
import { loadGroupChain } from '../../db/group-tree-store';
import { registry } from '../../metrics/registry';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { historyText } from '../support/history';
import { connectTenant, LEVEL } from '../support/level-tenant';
import { activityDepsOf, getTestEnv, type TestEnv } from '../support/test-env';

/**
 *  Acme (→ acme)            devices a0
 *    Branch                 devices b0, b1        inherits acme
 *      Servers (→ servers)  devices s0            own mapping wins
 *        Rack               devices r0            inherits servers
 *    HQ                     devices h0            inherits acme
 *  Globex                   devices g0            unmapped
 *    Globex Sales (→ globex) devices gs0
 *    Globex Lab             devices gl0           unmapped sibling
 *  (ungrouped)              devices u0
 */
function buildFleet(): Fleet {
  const fleet = new Fleet({ seed: 11 });
  const group = (id: string, name: string, parentId: string | null) => fleet.addGroup({ id, name, parentId });
  group('acme/1', 'Acme', null);
  group('br+anch', 'Branch', 'acme/1');
  group('serv/ers', 'Servers', 'br+anch');
  group('rack', 'Rack', 'serv/ers');
  group('hq', 'HQ', 'acme/1');
  group('glo+bex', 'Globex', null);
  group('gsales', 'Globex Sales', 'glo+bex');
  group('glab', 'Globex Lab', 'glo+bex');
  const device = (id: string, groupId: string | null, extra: Record<string, unknown> = {}) =>
    fleet.addDevice({ id, hostname: id.toUpperCase().replace(/[^A-Z0-9]/g, '-'), groupId, ...extra });
  device('a0', 'acme/1');
  device('b0', 'br+anch');
  device('b/1', 'br+anch', { nickname: 'Reception PC' });
  device('s0', 'serv/ers', { role: 'domain_controller' });
  device('r0', 'rack', { role: 'server' });
  device('h0', 'hq');
  device('g0', 'glo+bex');
  device('gs0', 'gsales');
  device('gl0', 'glab');
  device('u0', null);
  return fleet;
}

describe('group discovery, mapping and device sync', function () {
  this.timeout(180_000);
  let env: TestEnv;
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
  });

  beforeEach(async () => {
    simulator = await startLevelSimulator({ apiKeys: [`lvk_${randomBytes(12).toString('hex')}`], fleet: buildFleet() });
  });

  afterEach(async () => {
    await simulator.close();
  });

  async function mappedTenant() {
    const t = await connectTenant(env, simulator);
    const discovered = await t.discover();
    assert.deepEqual(discovered, { groups: 8, created: 8, updated: 0, removed: 0 });
    const clients = {
      acme: await t.createClient('Acme'),
      servers: await t.createClient('Acme Servers'),
      globex: await t.createClient('Globex'),
    };
    await t.map('acme/1', clients.acme);
    await t.map('serv/ers', clients.servers);
    await t.map('gsales', clients.globex);
    return { ...t, clients };
  }

  it('lists groups in tree order with paths and inherited mappings', async () => {
    const t = await mappedTenant();
    const groups = (await t.api.get(`${LEVEL}/groups`)).body.items as any[];
    assert.deepEqual(
      groups.map((g) => [g.path, g.mappedClientId, g.effectiveClientId, g.inheritedFromGroupId]),
      [
        ['Acme', t.clients.acme, t.clients.acme, null],
        ['Acme / Branch', null, t.clients.acme, 'acme/1'],
        ['Acme / Branch / Servers', t.clients.servers, t.clients.servers, null],
        ['Acme / Branch / Servers / Rack', null, t.clients.servers, 'serv/ers'],
        ['Acme / HQ', null, t.clients.acme, 'acme/1'],
        ['Globex', null, null, null],
        ['Globex / Globex Lab', null, null, null],
        ['Globex / Globex Sales', t.clients.globex, t.clients.globex, null],
      ],
    );
    assert.equal(groups[1].parentId, 'acme/1');
    assert.equal(groups[0].deviceCount, 1);

    // The per-alert shortcut (one group's chain) agrees with the whole tree for every group.
    for (const group of groups) {
      const chain = await loadGroupChain(env.em(), t.tenant.tenantId, group.levelGroupId);
      assert.equal(chain.effectiveClientId, group.effectiveClientId, group.path);
      assert.equal(chain.ancestry.length, group.depth + 1, group.path);
    }
    assert.deepEqual((await loadGroupChain(env.em(), t.tenant.tenantId, 'rack')).ancestry, [
      'rack',
      'serv/ers',
      'br+anch',
      'acme/1',
    ]);
  });

  it('syncs exactly the devices of mapped subtrees onto their effective clients', async () => {
    const t = await mappedTenant();
    simulator.stats.reset();
    const result = await t.sync();
    // Skipped: the devices of unmapped groups (Globex, Globex Lab); ungrouped devices are never fetched.
    assert.deepEqual(
      { ...result, levelRequests: undefined },
      { created: 7, updated: 0, moved: 0, relinked: 0, archived: 0, skipped: 2, failed: 0, levelRequests: undefined },
    );
    assert.equal(await t.assetIds(t.clients.acme).then((ids) => ids.join(',')), ['a0', 'b/1', 'b0', 'h0'].join(','));
    assert.deepEqual(await t.assetIds(t.clients.servers), ['r0', 's0']);
    assert.deepEqual(await t.assetIds(t.clients.globex), ['gs0']);

    // Only the two top-most mapped subtrees were fetched (Servers lies inside Acme's), one page each.
    assert.equal(simulator.stats.countUnder('/v2/devices'), 2);
    assert.equal(result.levelRequests, 2);

    const assets = (await t.api.get(`/api/v1/clients/${t.clients.acme}/assets`)).body.items as any[];
    const reception = assets.find((a) => a.levelDeviceId === 'b/1');
    assert.equal(reception.name, 'Reception PC');
    assert.equal(reception.hostname, 'B-1');
    assert.equal(reception.assetType, 'workstation');
    assert.equal(reception.levelGroupId, 'br+anch');
    assert.equal(reception.archived, false);
    for (const field of ['id', 'clientId', 'platform', 'osName', 'online', 'lastSeenAt', 'serialNumber', 'syncedAt'])
      assert.ok(field in reception, field);
    const servers = (await t.api.get(`/api/v1/clients/${t.clients.servers}/assets`)).body.items as any[];
    assert.deepEqual(
      servers.map((a) => a.assetType),
      ['server', 'server'],
      'server and domain controller are servers',
    );

    const integration = (await t.api.get(LEVEL)).body;
    assert.deepEqual(integration.summary, { mappedGroups: 3, devices: 7, activeAlerts: 0 });
  });

  it('loads a run again after a failed load: a chunk retried after the database failed it succeeds', async () => {
    const t = await mappedTenant();
    const run = {
      tenantId: t.tenant.tenantId,
      integrationId: (await env.em().getKnex()('level_integrations').where({ tenant_id: t.tenant.tenantId }).first())
        .id as string,
      syncRunId: randomUUID(),
    };
    const activities = createDeviceSyncActivities(activityDepsOf(env));
    const chunk = (): Promise<ChunkResult> =>
      new MockActivityEnvironment().run((input: ChunkInput) => activities.syncDeviceChunk(input), {
        ...run,
        rootIndex: 0,
        cursor: null,
        maxPages: 10,
      });
    // The run's row cannot be read yet (as when the database was away): the chunk fails.
    await assert.rejects(chunk());
    await new MockActivityEnvironment().run(
      (input: Parameters<typeof activities.planDeviceSync>[0]) => activities.planDeviceSync(input),
      { ...run, workflowId: `test/${run.syncRunId}` },
    );
    const retried = await chunk();
    assert.ok(retried.counts.processed > 0, JSON.stringify(retried.counts));
  });

  it('keeps a finished run as it was when its finish is retried (the first answer lost)', async () => {
    const t = await mappedTenant();
    await t.sync();
    simulator.fleet.deleteDevice('a0');
    const finished = await t.sync();
    assert.equal(finished.archived, 1);
    const run = await env
      .em()
      .getKnex()('sync_runs')
      .where({ tenant_id: t.tenant.tenantId })
      .orderBy('started_at', 'desc')
      .first();
    const completedBefore =
      (await registry.getSingleMetric('levelsync_device_sync_runs_total')!.get()).values.find(
        (v) => v.labels.outcome === 'completed',
      )?.value ?? 0;

    // What Temporal does when the worker died after the finish committed: the same input again.
    const activities = createDeviceSyncActivities(activityDepsOf(env));
    const retried = await activities.finishDeviceSync({
      tenantId: t.tenant.tenantId,
      integrationId: run.integration_id,
      syncRunId: run.id,
      counts: { ...finished, levelRequests: finished.levelRequests },
      processed: run.processed,
    });

    assert.equal(retried.archived, 1, 'the retry answers the counts recorded by the first finish');
    const stored = await env.em().getKnex()('sync_runs').where({ id: run.id }).first();
    assert.equal(stored.counts.archived, 1, 'the stored counts are not overwritten');
    const completedAfter =
      (await registry.getSingleMetric('levelsync_device_sync_runs_total')!.get()).values.find(
        (v) => v.labels.outcome === 'completed',
      )?.value ?? 0;
    assert.equal(completedAfter, completedBefore, 'the run is counted once');
  });

  it('follows renames, moves and deletions; archives and restores; never duplicates', async () => {
    const t = await mappedTenant();
    await t.sync();

    simulator.fleet.renameGroup('br+anch', 'Branch Office');
    simulator.fleet.moveDevice('h0', 'gsales'); // moves to Globex
    simulator.fleet.deleteDevice('a0'); // vanished → archived
    simulator.fleet.moveDevice('b0', 'glab'); // under no mapping → archived
    simulator.fleet.moveGroup('serv/ers', 'glo+bex'); // keeps its own mapping
    simulator.fleet.deleteGroup('hq');

    const rediscovered = await t.discover();
    assert.equal(rediscovered.removed, 1);
    assert.equal(rediscovered.groups, 7);
    const groups = (await t.api.get(`${LEVEL}/groups`)).body.items as any[];
    assert.ok(groups.some((g) => g.path === 'Acme / Branch Office'));
    assert.ok(groups.some((g) => g.path === 'Globex / Servers / Rack' && g.effectiveClientId === t.clients.servers));
    assert.equal(groups.find((g) => g.levelGroupId === 'hq').removed, true);

    const second = await t.sync();
    assert.equal(second.moved, 1);
    assert.equal(second.archived, 2);
    assert.equal(second.created, 0);
    assert.deepEqual(await t.assetIds(t.clients.acme), ['b/1']);
    assert.deepEqual(await t.assetIds(t.clients.globex), ['gs0', 'h0']);
    assert.deepEqual(await t.assetIds(t.clients.servers), ['r0', 's0']);
    assert.deepEqual(await t.assetIds(t.clients.acme, true), ['a0', 'b/1', 'b0']);

    simulator.fleet.moveDevice('b0', 'br+anch'); // comes back → restored
    const third = await t.sync();
    assert.equal(third.archived, 0);
    assert.equal(third.created, 0);
    assert.deepEqual(await t.assetIds(t.clients.acme), ['b/1', 'b0']);
    await t.sync();

    const rows = await env.em().getKnex()('assets').where({ tenant_id: t.tenant.tenantId }).select('level_device_id');
    const ids = rows.map((r: { level_device_id: string }) => r.level_device_id);
    assert.equal(ids.length, new Set(ids).size, 'one asset per device after four syncs');
    assert.equal(ids.length, 7);
  });

  it('keeps device lists out of the sync history', async () => {
    const t = await mappedTenant();
    const run = await t.api.post(`${LEVEL}/device-sync?wait=true`);
    const text = await historyText(env.temporalClient, run.body.workflowId);
    assert.ok(text.includes('rootCount'), 'payloads were decoded');
    assert.ok(!text.includes('acme/1'), 'not even group ids: the run keeps them in PostgreSQL');
    assert.ok(!text.includes('RECEPTION'), 'no device documents');
    assert.ok(!text.includes(simulator.apiKey), 'no API key');
  });

  it("answers 404 for unknown groups and other tenants' clients", async () => {
    const t = await mappedTenant();
    const other = await connectTenant(env, simulator);
    const foreignClient = await other.createClient('Foreign');
    assert.equal((await t.api.put(`${LEVEL}/groups/nope/mapping`, { clientId: t.clients.acme })).status, 404);
    assert.equal((await t.api.put(`${LEVEL}/groups/hq/mapping`, { clientId: foreignClient })).status, 404);
    assert.equal((await t.api.put(`${LEVEL}/groups/hq/mapping`, { clientId: 'not-a-uuid' })).status, 400);
    assert.equal((await t.api.get(`/api/v1/clients/${foreignClient}/assets`)).status, 404);
    const cleared = await t.map('acme/1', null);
    assert.equal(cleared.mappedClientId, null);
    assert.equal(cleared.effectiveClientId, null);
  });
});
