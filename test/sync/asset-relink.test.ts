// Relink by serial against the simulator over HTTP and the real Temporal and PostgreSQL: a device
// re-enrolled in Level (new Level id, same machine) takes over its asset instead of becoming a
// second one — through a sync and through a native device event — and only when client, serial
// and hostname all match and the asset's own device is gone. Each negative case runs beside a
// re-enrolled device that must relink, so every test fails without the feature.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { signBody } from '../../api/webhook/auth';
import { writeAssetBatch, type AssetRow } from '../../db/asset-writer';
import { AssetSchema } from '../../db/entities';
import { assetFromDevice } from '../../domain/asset-from-device';
import { levelDeviceSchema } from '../../level/schemas';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { waitFor } from '../alerts/fixture';
import { call } from '../support/http';
import { connectTenant, LEVEL } from '../support/level-tenant';
import { getTestEnv, type TestEnv } from '../support/test-env';

/**
 *  A site (→ acme)    pc-re, pc-host, pc-cli, pc-blank
 *  B site (→ acme)    pc-live          synced after A site: a newcomer in A meets it not yet seen
 *  Globex (→ globex)
 */
function buildFleet(): Fleet {
  const fleet = new Fleet({ seed: 23 });
  fleet.addGroup({ id: 'site-a', name: 'A site', parentId: null });
  fleet.addGroup({ id: 'site-b', name: 'B site', parentId: null });
  fleet.addGroup({ id: 'globex', name: 'Globex', parentId: null });
  const device = (id: string, groupId: string, hostname: string, serial: string) =>
    fleet.addDevice({ id, groupId, hostname, serial_number: serial, nickname: null });
  device('pc-re', 'site-a', 'RE-PC', 'SN-RE-0001');
  device('pc-host', 'site-a', 'HOST-A', 'SN-HOST-0001');
  device('pc-cli', 'site-a', 'CLI-PC', 'SN-CLI-0001');
  device('pc-blank', 'site-a', 'BLANK-PC', ' ');
  device('pc-live', 'site-b', 'LIVE-PC', 'SN-LIVE-0001');
  return fleet;
}

describe('assets matched by serial (relink)', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
  });

  beforeEach(async () => {
    simulator = await startLevelSimulator({ fleet: buildFleet() });
  });

  afterEach(async () => {
    await simulator.close();
  });

  /** A tenant with every site mapped and one sync done: every device has its asset. */
  async function syncedTenant() {
    const t = await connectTenant(env, simulator);
    await t.discover();
    const acme = await t.createClient('Acme');
    const globex = await t.createClient('Globex');
    await t.map('site-a', acme);
    await t.map('site-b', acme);
    await t.map('globex', globex);
    const first = await t.sync();
    assert.equal(first.created, 5);
    const asset = (levelDeviceId: string) =>
      env.em().findOne(AssetSchema, { tenantId: t.tenant.tenantId, levelDeviceId });
    const assetById = (id: string) => env.em().findOneOrFail(AssetSchema, { id });
    const assetCount = () => env.em().count(AssetSchema, { tenantId: t.tenant.tenantId });
    const original = new Map<string, string>();
    for (const id of ['pc-re', 'pc-host', 'pc-cli', 'pc-blank', 'pc-live']) original.set(id, (await asset(id))!.id);
    return { ...t, acme, globex, asset, assetById, assetCount, original };
  }

  it('relinks the asset of a re-enrolled device: same asset, new Level id, no duplicate', async () => {
    const t = await syncedTenant();
    const fresh = simulator.fleet.reenrollDevice('pc-re');
    simulator.fleet.updateDevice(fresh.id, { hostname: 're-pc', nickname: 'Front desk' }); // hostnames match in any case

    const result = await t.sync();
    assert.deepEqual(
      { relinked: result.relinked, created: result.created, archived: result.archived, moved: result.moved },
      { relinked: 1, created: 0, archived: 0, moved: 0 },
    );
    const asset = await t.assetById(t.original.get('pc-re')!);
    assert.equal(asset.levelDeviceId, fresh.id);
    assert.equal(asset.archived, false);
    assert.equal(asset.relinkedFromDeviceId, 'pc-re');
    assert.equal(asset.name, 'Front desk', 'the fields follow the new device');
    assert.equal(asset.hostname, 're-pc');
    assert.equal(await t.asset('pc-re'), null, 'no asset keeps the old id');
    assert.equal(await t.assetCount(), 5, 'no second asset');

    const runs = (await t.api.get(`${LEVEL}/sync-runs`)).body.items as Array<{ result: { relinked: number } }>;
    assert.equal(runs[0]!.result.relinked, 1, 'the sync history counts it');
    const again = await t.sync();
    assert.deepEqual(
      { relinked: again.relinked, created: again.created, archived: again.archived },
      { relinked: 0, created: 0, archived: 0 },
    );
  });

  it('relinks an archived asset when its machine comes back under a new id', async () => {
    const t = await syncedTenant();
    simulator.fleet.deleteDevice('pc-re');
    assert.equal((await t.sync()).archived, 1);
    assert.equal((await t.asset('pc-re'))?.archived, true);

    simulator.fleet.addDevice({ id: 'pc-re-2', groupId: 'site-a', hostname: 'RE-PC', serial_number: 'SN-RE-0001' });
    const result = await t.sync();
    assert.equal(result.relinked, 1);
    assert.equal(result.created, 0);
    const asset = await t.assetById(t.original.get('pc-re')!);
    assert.equal(asset.levelDeviceId, 'pc-re-2');
    assert.equal(asset.archived, false, 'un-archived');
    assert.equal(asset.archivedAt ?? null, null);
    assert.equal(await t.assetCount(), 5);
  });

  it('makes a new asset when the hostname or the client differs, or the serial is blank', async () => {
    const t = await syncedTenant();
    const relinked = simulator.fleet.reenrollDevice('pc-re');
    const renamed = simulator.fleet.reenrollDevice('pc-host');
    simulator.fleet.updateDevice(renamed.id, { hostname: 'HOST-B' });
    const otherClient = simulator.fleet.reenrollDevice('pc-cli');
    simulator.fleet.moveDevice(otherClient.id, 'globex');
    const blank = simulator.fleet.reenrollDevice('pc-blank');

    const result = await t.sync();
    assert.deepEqual(
      { relinked: result.relinked, created: result.created, archived: result.archived },
      { relinked: 1, created: 3, archived: 3 },
    );
    assert.equal((await t.asset(relinked.id))?.id, t.original.get('pc-re'));
    for (const [oldId, device] of [
      ['pc-host', renamed],
      ['pc-cli', otherClient],
      ['pc-blank', blank],
    ] as const) {
      const fresh = await t.asset(device.id);
      assert.ok(fresh, `${oldId} re-enrolled has an asset`);
      assert.notEqual(fresh.id, t.original.get(oldId), `${oldId}: not relinked`);
      assert.equal((await t.asset(oldId))?.archived, true, `${oldId}: its old asset is archived`);
    }
    assert.equal((await t.asset(otherClient.id))?.clientId, t.globex);
    assert.equal((await t.asset('pc-cli'))?.clientId, t.acme);
  });

  it('never takes over the asset of a device that is still enrolled', async () => {
    const t = await syncedTenant();
    const relinked = simulator.fleet.reenrollDevice('pc-re');
    // A second enrollment of pc-live's machine in A site, which syncs before B site: when the sync
    // meets it, pc-live's asset is active and not yet seen by this sync — only Level can tell.
    simulator.fleet.addDevice({ id: 'pc-dup', groupId: 'site-a', hostname: 'live-pc', serial_number: 'SN-LIVE-0001' });

    const result = await t.sync();
    assert.deepEqual(
      { relinked: result.relinked, created: result.created, archived: result.archived },
      { relinked: 1, created: 1, archived: 0 },
    );
    assert.equal((await t.asset(relinked.id))?.id, t.original.get('pc-re'));
    const live = await t.asset('pc-live');
    assert.equal(live?.id, t.original.get('pc-live'), 'the live device keeps its asset');
    assert.equal(live?.archived, false);
    const duplicate = await t.asset('pc-dup');
    assert.ok(duplicate && duplicate.id !== live.id, 'the second enrollment gets its own asset');
  });

  it('relinks through a native device_created event too, never taking a live asset', async () => {
    const t = await syncedTenant();
    const send = await nativeSender(t.api);

    simulator.fleet.addDevice({ id: 'pc-dup', groupId: 'site-a', hostname: 'LIVE-PC', serial_number: 'SN-LIVE-0001' });
    await send('device_created', 'pc-dup');
    const duplicate = await waitFor('the asset of pc-dup', () => t.asset('pc-dup'));
    assert.notEqual(duplicate.id, t.original.get('pc-live'), 'pc-live is still enrolled: its asset stays its own');
    assert.equal((await t.asset('pc-live'))?.id, t.original.get('pc-live'));

    const fresh = simulator.fleet.reenrollDevice('pc-re');
    await send('device_created', fresh.id);
    const relinked = await waitFor('the asset of the re-enrolled device', () => t.asset(fresh.id));
    assert.equal(relinked.id, t.original.get('pc-re'), 'the same asset, relinked');
    assert.equal(relinked.relinkedFromDeviceId, 'pc-re');
    assert.equal(await t.assetCount(), 6, 'five devices synced, plus the second enrollment');
  });

  it('counts a relink once when a sync attempt that made it died and is retried', async () => {
    const t = await syncedTenant();
    const fresh = simulator.fleet.reenrollDevice('pc-re');
    assert.equal((await t.sync()).relinked, 1);
    const run = await env
      .em()
      .getKnex()('sync_runs')
      .where({ tenant_id: t.tenant.tenantId })
      .orderBy('started_at', 'desc')
      .first<{ id: string }>('id');
    const context = { tenantId: t.tenant.tenantId, integrationId: await integrationIdOf(t.api), syncRunId: run.id };
    // The retry of an attempt that relinked and died before its heartbeat finds the asset already relinked.
    const retried = await writeAssetBatch(env.em().getKnex(), context, [rowFor(fresh.id, t.acme)]);
    assert.deepEqual({ relinked: retried.relinked, created: retried.created }, { relinked: 1, created: 0 });
    const later = await writeAssetBatch(env.em().getKnex(), { ...context, syncRunId: null }, [
      rowFor(fresh.id, t.acme),
    ]);
    assert.equal(later.relinked, 0, 'a later write of the relinked asset is an update');
  });

  it('leaves one asset when two writers relink it at the same time', async () => {
    const t = await syncedTenant();
    const fresh = simulator.fleet.reenrollDevice('pc-re');
    const assetId = t.original.get('pc-re')!;
    const context = { tenantId: t.tenant.tenantId, integrationId: await integrationIdOf(t.api), syncRunId: null };
    const plan = [{ levelDeviceId: fresh.id, assetId, previousDeviceId: 'pc-re', deviceGone: true }];
    const knex = env.em().getKnex();
    let second: ReturnType<typeof writeAssetBatch> | undefined;
    await knex.transaction(async (trx) => {
      assert.equal((await writeAssetBatch(trx, context, [rowFor(fresh.id, t.acme)], plan)).relinked, 1);
      // The second writer reaches the row this transaction holds and waits for it to commit.
      second = writeAssetBatch(knex, context, [rowFor(fresh.id, t.acme)], plan);
      await waitFor('the second writer to wait for the row lock', async () => {
        const waiting = await knex.raw<{ rows: Array<{ n: number }> }>(
          `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
        );
        return waiting.rows[0]!.n > 0;
      });
    });
    const after = await second!;
    assert.equal(after.relinked, 0, 'the asset no longer had its old id: no second relink');
    assert.equal(after.assetIds.get(fresh.id), assetId, 'the second writer updated the relinked asset');
    assert.equal((await t.asset(fresh.id))?.id, assetId);
    assert.equal(await t.assetCount(), 5, 'no duplicate');
  });

  function rowFor(levelDeviceId: string, clientId: string): AssetRow {
    return {
      fields: assetFromDevice(levelDeviceSchema.parse(simulator.fleet.deviceDocument(levelDeviceId))),
      clientId,
    };
  }

  async function integrationIdOf(api: Awaited<ReturnType<typeof connectTenant>>['api']): Promise<string> {
    return (await api.get(LEVEL)).body.id as string;
  }

  /** Saves a signing secret and answers a function that delivers a signed native event. */
  async function nativeSender(api: Awaited<ReturnType<typeof connectTenant>>['api']) {
    const secret = `sig_${randomUUID()}`;
    assert.equal((await api.put(`${LEVEL}/webhook/signing-secret`, { secret })).status, 200);
    const path = new URL((await api.get(`${LEVEL}/webhook`)).body.url as string).pathname;
    return async (eventType: string, id: string) => {
      const raw = JSON.stringify({
        event_type: eventType,
        event_id: randomUUID(),
        occurred_at: new Date().toISOString(),
        data: { id },
      });
      const answer = await call(env.apiUrl, 'POST', path, {
        rawBody: raw,
        headers: { 'content-type': 'application/json', 'x-level-signature': `sha256=${signBody(secret, raw)}` },
      });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
    };
  }
});
