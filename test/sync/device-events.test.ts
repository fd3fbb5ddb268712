// Level's native device and group events against the simulator over HTTP and the real Temporal
// and PostgreSQL: a device appears, moves, is skipped or archived without a manual sync, a group
// move carries its assets to the new effective client, and bursts and late events are handled.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { levelObjectWorkflowId } from '../../contracts/level-objects';
import { createDeviceSyncActivities } from '../../activities/device-sync-activities';
import { signBody } from '../../api/webhook/auth';
import { AssetSchema } from '../../db/entities';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { historyText } from '../support/history';
import { call } from '../support/http';
import { connectTenant, LEVEL } from '../support/level-tenant';
import { activityDepsOf, getTestEnv, type TestEnv } from '../support/test-env';
import { waitFor } from '../alerts/fixture';

/**
 *  Acme (→ acme)      devices a0
 *    Branch           devices b0        inherits acme
 *  Globex (→ globex)  devices g0
 *  Lab                devices l0        unmapped
 */
function buildFleet(): Fleet {
  const fleet = new Fleet({ seed: 5 });
  fleet.addGroup({ id: 'acme', name: 'Acme', parentId: null });
  fleet.addGroup({ id: 'br/anch', name: 'Branch', parentId: 'acme' });
  fleet.addGroup({ id: 'globex', name: 'Globex', parentId: null });
  fleet.addGroup({ id: 'lab', name: 'Lab', parentId: null });
  fleet.addDevice({ id: 'a0', hostname: 'A0', groupId: 'acme' });
  fleet.addDevice({ id: 'b0', hostname: 'B0', groupId: 'br/anch' });
  fleet.addDevice({ id: 'g0', hostname: 'G0', groupId: 'globex' });
  fleet.addDevice({ id: 'l0', hostname: 'L0', groupId: 'lab' });
  return fleet;
}

describe('Native device and group events', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: buildFleet() });
  });

  after(async () => {
    await simulator.close();
  });

  async function tenant() {
    const t = await connectTenant(env, simulator);
    await t.discover();
    const acme = await t.createClient('Acme');
    const globex = await t.createClient('Globex');
    await t.map('acme', acme);
    await t.map('globex', globex);
    const signingSecret = `sig_${randomUUID()}`;
    assert.equal((await t.api.put(`${LEVEL}/webhook/signing-secret`, { secret: signingSecret })).status, 200);
    const path = new URL((await t.api.get(`${LEVEL}/webhook`)).body.url as string).pathname;
    const send = async (eventType: string, id: string, occurredAt = new Date()) => {
      const raw = JSON.stringify({
        event_type: eventType,
        event_id: randomUUID(),
        occurred_at: occurredAt.toISOString(),
        data: { id },
      });
      const answer = await call(env.apiUrl, 'POST', path, {
        rawBody: raw,
        headers: { 'content-type': 'application/json', 'x-level-signature': `sha256=${signBody(signingSecret, raw)}` },
      });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      return answer;
    };
    const asset = (levelDeviceId: string) =>
      env.em().findOne(AssetSchema, { tenantId: t.tenant.tenantId, levelDeviceId });
    /** Waits until the object's run has applied `count` changes (its activity completed). */
    const applied = (kind: 'device' | 'group', id: string, count: number) =>
      waitFor(`${count} change(s) of ${kind} ${id} applied`, async () => {
        const text = await historyText(env.temporalClient, levelObjectWorkflowId(t.tenant.tenantId, kind, id)).catch(
          () => '',
        );
        return (text.match(/activityTaskCompletedEventAttributes/g)?.length ?? 0) >= count;
      });
    return { ...t, acme, globex, send, asset, applied, signingSecret };
  }

  it('creates the asset of a new device without a sync, and moves it when it changes subtree', async () => {
    const t = await tenant();
    const id = `new-${randomUUID().slice(0, 8)}`;
    simulator.fleet.addDevice({ id, hostname: 'NEW-PC', groupId: 'br/anch' });
    assert.equal((await t.send('device_created', id)).body.syncObject, true);
    const created = await waitFor('the new asset', () => t.asset(id));
    assert.equal(created.clientId, t.acme, 'Branch inherits Acme');
    assert.equal(created.hostname, 'NEW-PC');

    simulator.fleet.updateDevice(id, { groupId: 'globex', hostname: 'NEW-PC-2' });
    await t.send('device_updated', id);
    const moved = await waitFor('the asset to move', async () =>
      (await t.asset(id))?.clientId === t.globex ? t.asset(id) : null,
    );
    assert.equal(moved.hostname, 'NEW-PC-2');
    assert.equal(moved.id, created.id, 'the same asset, moved');

    // Moved under no mapping: archived, as a sync would.
    simulator.fleet.updateDevice(id, { groupId: 'lab' });
    await t.send('device_updated', id);
    await waitFor('the asset archived', async () => (await t.asset(id))?.archived === true);
    const history = await historyText(env.temporalClient, levelObjectWorkflowId(t.tenant.tenantId, 'device', id));
    for (const secret of [t.signingSecret, simulator.apiKey])
      assert.ok(!history.includes(secret), 'a secret leaked into the history');
  });

  it('skips a device no mapping covers, and archives a deleted one', async () => {
    const t = await tenant();
    await t.send('device_created', 'l0');
    await t.applied('device', 'l0', 1);
    assert.equal(await t.asset('l0'), null, 'a device in an unmapped subtree does not sync');

    await t.send('device_created', 'a0');
    await waitFor('the asset of a0', () => t.asset('a0'));
    await t.send('device_deleted', 'a0');
    const archived = await waitFor('a0 archived', async () => ((await t.asset('a0'))?.archived ? t.asset('a0') : null));
    assert.ok(archived.archivedAt);
  });

  it("coalesces a burst of updates into one fetch and orders events by Level's time", async () => {
    const t = await tenant();
    const id = `burst-${randomUUID().slice(0, 8)}`;
    simulator.fleet.addDevice({ id, hostname: 'BURST', groupId: 'acme' });
    const fetchesBefore = simulator.stats.countFor(`/v2/devices/${id}`);
    await Promise.all(Array.from({ length: 5 }, () => t.send('device_updated', id)));
    await t.applied('device', id, 1);
    assert.equal(simulator.stats.countFor(`/v2/devices/${id}`) - fetchesBefore, 1, 'five updates, one fetch');

    // A delete and an older update that arrives after it, in one burst: the delete stands.
    const now = Date.now();
    await t.send('device_deleted', id, new Date(now));
    await t.send('device_updated', id, new Date(now - 60_000));
    await t.applied('device', id, 2);
    assert.equal((await t.asset(id))?.archived, true);

    // Another late update on its own, once the delete was applied: stale, nothing is fetched.
    await t.send('device_updated', id, new Date(now - 30_000));
    const events = await waitFor('the late update looked at', async () => {
      const history =
        (
          await env.temporalClient.workflow
            .getHandle(levelObjectWorkflowId(t.tenant.tenantId, 'device', id))
            .fetchHistory()
        ).events ?? [];
      const timers = history.flatMap((event, index) => (event.timerFiredEventAttributes ? [index] : []));
      const decided =
        timers.length >= 3 && history.slice(timers[2]).some((event) => event.workflowTaskCompletedEventAttributes);
      return decided ? history : null;
    });
    assert.equal(
      events.filter((event) => event.activityTaskScheduledEventAttributes).length,
      2,
      'the stale update fetched nothing',
    );
    assert.equal((await t.asset(id))?.archived, true);
  });

  it('keeps its run when Level rejects the key, and applies the next event once the key works', async () => {
    const t = await tenant();
    const id = `key-${randomUUID().slice(0, 8)}`;
    simulator.fleet.addDevice({ id, hostname: 'KEY-PC', groupId: 'acme' });
    const key = simulator.apiKey;
    simulator.setApiKeys([`other-${randomUUID()}`]);
    const handle = env.temporalClient.workflow.getHandle(levelObjectWorkflowId(t.tenant.tenantId, 'device', id));
    try {
      await t.send('device_created', id);
      // The fetch failed for good and the run decided what to do about it.
      await waitFor('the rejected fetch handled', async () => {
        const events = (await handle.fetchHistory().catch(() => null))?.events ?? [];
        const failed = events.findIndex((event) => event.activityTaskFailedEventAttributes);
        return failed >= 0 && events.slice(failed).some((event) => event.workflowTaskCompletedEventAttributes);
      });
      assert.equal((await handle.describe()).status.name, 'RUNNING', 'a rejected key does not fail the run');
    } finally {
      simulator.setApiKeys([key]);
    }
    await t.send('device_updated', id);
    await waitFor('the asset once the key works', () => t.asset(id));
  });

  it('keeps an asset a device event wrote while a sync was running when that sync finishes', async () => {
    const t = await tenant();
    await t.sync();
    const integrationId = (await t.api.get(LEVEL)).body.id as string;
    // A sync in progress: it started after the sync above and has not seen the device below.
    const syncRunId = randomUUID();
    await env
      .em()
      .getKnex()('sync_runs')
      .insert({
        id: syncRunId,
        tenant_id: t.tenant.tenantId,
        integration_id: integrationId,
        workflow_id: `level/${t.tenant.tenantId}/device-sync`,
        status: 'running',
        counts: JSON.stringify({}),
        roots: JSON.stringify([]),
        started_at: env.em().getKnex().fn.now(),
      });
    const id = `mid-${randomUUID().slice(0, 8)}`;
    simulator.fleet.addDevice({ id, hostname: 'MID-SYNC', groupId: 'acme' });
    await t.send('device_created', id);
    await waitFor('the new asset', () => t.asset(id));

    const activities = createDeviceSyncActivities(activityDepsOf(env));
    const counts = await activities.finishDeviceSync({
      tenantId: t.tenant.tenantId,
      integrationId,
      syncRunId,
      counts: { created: 0, updated: 0, moved: 0, skipped: 0, failed: 0, levelRequests: 0 },
      processed: 0,
    });
    assert.equal((await t.asset(id))?.archived, false, 'Level confirmed the device after the sync started');
    assert.equal(
      (await t.asset('a0'))?.archived,
      true,
      'what the sync did not see (and nothing confirmed since it started) is still archived',
    );
    assert.ok(counts.archived >= 1);
  });

  it('moves a group: inheritance and its assets follow at once', async () => {
    const t = await tenant();
    await t.sync();
    assert.equal((await t.asset('b0'))?.clientId, t.acme, 'Branch inherits Acme');
    simulator.fleet.moveGroup('br/anch', 'globex');
    simulator.fleet.renameGroup('br/anch', 'Branch (Globex)');
    await t.send('group_updated', 'br/anch');
    await waitFor('the asset of b0 to follow its group', async () => (await t.asset('b0'))?.clientId === t.globex);
    const groups = (await t.api.get(`${LEVEL}/groups`)).body.items as Array<{
      levelGroupId: string;
      path: string;
      effectiveClientId: string;
      inheritedFromGroupId: string;
    }>;
    const branch = groups.find((g) => g.levelGroupId === 'br/anch')!;
    assert.equal(branch.path, 'Globex / Branch (Globex)');
    assert.equal(branch.effectiveClientId, t.globex);
    assert.equal(branch.inheritedFromGroupId, 'globex');
    assert.equal((await t.asset('a0'))?.clientId, t.acme, 'the rest of Acme stays');

    simulator.fleet.addGroup({ id: 'new-g', name: 'New team', parentId: 'globex' });
    await t.send('group_created', 'new-g');
    await waitFor(
      'the new group',
      async () =>
        (
          (await t.api.get(`${LEVEL}/groups`)).body.items as Array<{ levelGroupId: string; effectiveClientId: string }>
        ).find((g) => g.levelGroupId === 'new-g')?.effectiveClientId === t.globex,
    );
    await t.send('group_deleted', 'new-g');
    await waitFor(
      'the group removed',
      async () =>
        ((await t.api.get(`${LEVEL}/groups`)).body.items as Array<{ levelGroupId: string; removed: boolean }>).find(
          (g) => g.levelGroupId === 'new-g',
        )?.removed === true,
    );
  });
});
