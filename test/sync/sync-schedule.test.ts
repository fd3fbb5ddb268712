// The scheduled device sync: a Temporal Schedule per tenant (off by default, 15–1440 minutes,
// overlap skip) that runs the same single-flight sync; the sync history with what started each
// run; lastSyncAt on the integration; disabling and disconnecting pause it. The schedule is
// triggered at once with its handle's trigger() rather than waiting for the interval.
import assert from 'node:assert/strict';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { DEVICE_SYNC_WORKFLOW, SCHEDULED_DEVICE_SYNC_WORKFLOW } from '../../contracts/workflows';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { syncScheduleId } from '../../contracts/workflow-ids';
import { DISCONNECTED_NOTE } from '../../temporal/sync-schedule';
import type { ScheduledDeviceSyncResult } from '../../workflows/scheduled-device-sync';
import { apiAs } from '../support/http';
import { LEVEL, scheduledSyncTenants } from '../support/level-tenant';
import { replayAndRecord } from '../support/replay-fixtures';
import { getTestEnv, type TestEnv } from '../support/test-env';

interface SyncRunItem {
  workflowId: string;
  runId: string | null;
  trigger: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  result: { created: number } | null;
}

describe('Scheduled device sync', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  // Its after-hook (registered first, so it runs first) deletes every schedule these tenants made.
  const mappedLevelTenant = scheduledSyncTenants();

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: { seed: 21, groups: 4, depth: 2, devices: 40, alerts: 0 } });
  });

  after(async () => {
    await simulator.close();
  });

  /** A tenant with one top-level group mapped, ready to sync. */
  const mappedTenant = () => mappedLevelTenant(env, simulator, 'Scheduled');

  it('is off by default; enabling creates a skip-overlap schedule whose trigger runs a sync recorded with trigger "schedule"', async () => {
    const t = await mappedTenant();
    assert.deepEqual((await t.api.get(`${LEVEL}/sync-schedule`)).body, {
      enabled: false,
      intervalMinutes: 60,
      nextRunAt: null,
      note: null,
    });

    const enabled = await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true, intervalMinutes: 15 });
    assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
    assert.equal(enabled.body.enabled, true);
    assert.equal(enabled.body.intervalMinutes, 15);
    assert.ok(Date.parse(enabled.body.nextRunAt) > Date.now());
    const handle = env.temporalClient.schedule.getHandle(syncScheduleId(t.tenant.tenantId));
    const described = await handle.describe();
    assert.equal(described.policies.overlap, ScheduleOverlapPolicy.SKIP);
    assert.equal(described.action.workflowType, SCHEDULED_DEVICE_SYNC_WORKFLOW);

    await handle.trigger();
    const scheduled = await firstScheduledRun(handle);
    const outcome = (await env.temporalClient.workflow.getHandle(scheduled).result()) as ScheduledDeviceSyncResult;
    assert.equal(outcome.started, true);
    assert.equal(
      outcome.workflowId,
      `level/${t.tenant.tenantId}/device-sync`,
      'the same single-flight sync id as the button',
    );
    assert.ok(outcome.result && outcome.result.created > 0, JSON.stringify(outcome));
    await recordReplayFixtures(scheduled, outcome.workflowId);

    await t.sync();
    const runs = (await t.api.get(`${LEVEL}/sync-runs`)).body as { items: SyncRunItem[]; nextCursor: string | null };
    assert.deepEqual(
      runs.items.map((r) => [r.trigger, r.status]),
      [
        ['manual', 'completed'],
        ['schedule', 'completed'],
      ],
    );
    assert.equal(runs.items[1]!.result?.created, outcome.result.created);
    assert.equal(runs.nextCursor, null);
    // Each row names its own Temporal run: the button's is the latest, the schedule's the child it started.
    const [manual, fromSchedule] = runs.items;
    assert.equal(manual!.runId, (await env.temporalClient.workflow.getHandle(manual!.workflowId).describe()).runId);
    const scheduledRun = await env.temporalClient.workflow
      .getHandle(fromSchedule!.workflowId, fromSchedule!.runId!)
      .describe();
    assert.equal(scheduledRun.parentExecution?.workflowId, scheduled);
    assert.notEqual(fromSchedule!.runId, manual!.runId);
    const paged = await t.api.get(`${LEVEL}/sync-runs?limit=1`);
    assert.equal(paged.body.items.length, 1);
    assert.ok(paged.body.nextCursor);
    const integration = await t.api.get(LEVEL);
    assert.equal(integration.body.lastSyncAt, runs.items[0]!.finishedAt);
  });

  it('skips the tick while a sync of the tenant is already running (single-flight)', async () => {
    const t = await mappedTenant();
    assert.equal((await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true, intervalMinutes: 60 })).status, 200);
    // Something holds the tenant's sync id, as a sync started with the button would: a sync on a
    // task queue no worker polls, so it stays open and does nothing.
    const holder = await env.temporalClient.workflow.start(DEVICE_SYNC_WORKFLOW, {
      taskQueue: `${env.config.taskQueue}-unpolled`,
      workflowId: `level/${t.tenant.tenantId}/device-sync`,
    });
    try {
      const handle = env.temporalClient.schedule.getHandle(syncScheduleId(t.tenant.tenantId));
      await handle.trigger();
      const outcome = (await env.temporalClient.workflow
        .getHandle(await firstScheduledRun(handle))
        .result()) as ScheduledDeviceSyncResult;
      assert.deepEqual(outcome, { started: false, workflowId: holder.workflowId });
      assert.equal((await holder.describe()).runId, holder.firstExecutionRunId, 'the running one was left alone');
      assert.deepEqual((await t.api.get(`${LEVEL}/sync-runs`)).body.items, []);
    } finally {
      await holder.terminate('test done');
    }
  });

  it('refuses an interval out of range and changes nothing; disabling pauses and keeps the interval; disconnecting pauses', async () => {
    const t = await mappedTenant();
    for (const body of [
      { enabled: true, intervalMinutes: 14 },
      { enabled: true, intervalMinutes: 1441 },
      { enabled: 'yes' },
      { enabled: true, every: 5 },
    ]) {
      const refused = await t.api.put(`${LEVEL}/sync-schedule`, body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.error.code, 'invalid_request');
      assert.ok(Array.isArray(refused.body.error.details.fields));
    }
    assert.equal((await t.api.get(`${LEVEL}/sync-schedule`)).body.enabled, false, 'nothing was created');
    await assert.rejects(env.temporalClient.schedule.getHandle(syncScheduleId(t.tenant.tenantId)).describe());

    assert.equal((await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true, intervalMinutes: 1440 })).status, 200);
    const disabled = await t.api.put(`${LEVEL}/sync-schedule`, { enabled: false });
    assert.equal(disabled.status, 200);
    assert.equal(disabled.body.enabled, false);
    assert.equal(disabled.body.intervalMinutes, 1440, 'the interval is kept');
    assert.equal(
      (await env.temporalClient.schedule.getHandle(syncScheduleId(t.tenant.tenantId)).describe()).state.paused,
      true,
    );
    const resumed = await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true });
    assert.deepEqual([resumed.body.enabled, resumed.body.intervalMinutes], [true, 1440]);

    assert.equal((await t.api.delete(LEVEL)).status, 200);
    const afterDisconnect = (await t.api.get(`${LEVEL}/sync-schedule`)).body;
    assert.equal(afterDisconnect.enabled, false);
    assert.equal(afterDisconnect.note, DISCONNECTED_NOTE);
    const noKey = await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true });
    assert.equal(noKey.status, 409, 'a disconnected integration cannot be scheduled');
  });

  it("is the tenant's own: another tenant sees no runs and no schedule; a tenant never configured gets 404", async () => {
    const t = await mappedTenant();
    const u = await mappedTenant();
    assert.equal((await t.api.put(`${LEVEL}/sync-schedule`, { enabled: true, intervalMinutes: 30 })).status, 200);
    await t.sync();
    assert.equal((await u.api.get(`${LEVEL}/sync-schedule`)).body.enabled, false);
    assert.deepEqual((await u.api.get(`${LEVEL}/sync-runs`)).body.items, []);
    assert.equal((await u.api.get(LEVEL)).body.lastSyncAt, null);

    const stranger = await env.createTenant();
    const api = apiAs(env.apiUrl, stranger.token);
    assert.equal((await api.get(`${LEVEL}/sync-schedule`)).status, 404);
    assert.equal((await api.put(`${LEVEL}/sync-schedule`, { enabled: true, intervalMinutes: 15 })).status, 404);
    assert.equal((await api.get(`${LEVEL}/sync-runs`)).status, 404);
  });

  /** The id of the run the schedule started (its recent actions list it once it started). */
  async function firstScheduledRun(
    handle: ReturnType<TestEnv['temporalClient']['schedule']['getHandle']>,
  ): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const action = (await handle.describe()).info.recentActions[0];
      if (action) return action.action.workflow.workflowId;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the schedule started no run');
  }

  /** Replays both runs; RECORD_HISTORIES=1 (or naming them) saves them as fixtures (test/replay replays every fixture). */
  async function recordReplayFixtures(scheduledId: string, syncId: string): Promise<void> {
    await replayAndRecord(env.temporalClient.workflow.getHandle(scheduledId), 'scheduledDeviceSync');
    await replayAndRecord(env.temporalClient.workflow.getHandle(syncId), 'deviceSync-scheduled');
  }
});
