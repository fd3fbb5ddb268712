// Replay tests: Temporal re-runs workflow code against recorded histories, and fails on any
// non-determinism. The committed histories (test/fixtures/histories) stand for runs that may be
// in flight when a new version ships; a change that breaks them needs versioning (patched()).
// Fresh histories from this run are replayed too. RECORD_HISTORIES=1 rewrites the fixtures;
// RECORD_HISTORIES=alertLifecycle,deviceSync rewrites only those (the others keep older runs).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { deviceReconcileWorkflowId } from '../../contracts/alerts';
import { levelObjectWorkflowId } from '../../contracts/level-objects';
import { ALERT_LIFECYCLE_WORKFLOW } from '../../contracts/workflows';
import { signBody } from '../../api/webhook/auth';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { workflowBundle } from '../../worker/create-worker';
import { automationFromCard } from '../support/automation';
import { historyText } from '../support/history';
import { call } from '../support/http';
import { connectTenant, LEVEL } from '../support/level-tenant';
import { HISTORY_FIXTURES, replayAndRecord } from '../support/replay-fixtures';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('workflow replay', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: { seed: 9, groups: 6, depth: 3, devices: 150, alerts: 4 } });
  });

  after(async () => {
    await simulator.close();
  });

  it('replays fresh runs of every Level workflow deterministically', async () => {
    const t = await connectTenant(env, simulator);
    const runs = {
      testConnection: (await t.api.post(`${LEVEL}/test-connection?wait=true`)).body.workflowId as string,
      discoverGroups: (await t.api.post(`${LEVEL}/discover-groups?wait=true`)).body.workflowId as string,
    };
    const groups = (await t.api.get(`${LEVEL}/groups`)).body.items as Array<{ levelGroupId: string }>;
    await t.map(groups[0]!.levelGroupId, await t.createClient('Replay'));
    const deviceSync = (await t.api.post(`${LEVEL}/device-sync?wait=true`)).body.workflowId as string;
    const backfill = await t.api.post(`${LEVEL}/backfill-alerts?wait=true`);
    assert.equal(backfill.body.status, 'completed', JSON.stringify(backfill.body));
    const alertLifecycle = await anAlertRun(t.tenant.tenantId);
    // Recorded under a new name: the committed deviceAlertReconcile.json is a run from before nudges were coalesced.
    const deviceAlertReconcileCoalesced = await aDeviceReconcileRun(t);
    const deviceEvents = await aLevelObjectRun(t, 'device', 'device_updated', simulator.fleet.sortedDeviceIds()[0]!);
    const groupEvents = await aLevelObjectRun(t, 'group', 'group_updated', groups[0]!.levelGroupId);
    const histories = Object.entries({
      ...runs,
      deviceSync,
      backfillAlerts: backfill.body.workflowId as string,
      alertLifecycle,
      deviceAlertReconcileCoalesced,
      deviceEvents,
      groupEvents,
    });

    for (const [name, workflowId] of histories)
      await replayAndRecord(env.temporalClient.workflow.getHandle(workflowId), name);
  });

  /** A webhook that names a device but no usable alert starts a device reconcile run; its id once it completed. */
  async function aDeviceReconcileRun(t: Awaited<ReturnType<typeof connectTenant>>): Promise<string> {
    const card = await t.api.get(`${LEVEL}/webhook?reveal=true`);
    const deviceId = simulator.fleet.sortedDeviceIds()[0]!;
    // The card's template, run by the simulated Level automation for the device.
    const nudge = await simulator.runAutomation(deviceId, automationFromCard(env.apiUrl, card.body));
    assert.equal((nudge.body as { reconcileDevice?: boolean }).reconcileDevice, true, JSON.stringify(nudge.body));
    const handle = env.temporalClient.workflow.getHandle(deviceReconcileWorkflowId(t.tenant.tenantId, deviceId));
    await handle.result();
    return handle.workflowId;
  }

  /** A native device or group event starts that object's run; its id once it applied the change (the run then idles). */
  async function aLevelObjectRun(
    t: Awaited<ReturnType<typeof connectTenant>>,
    kind: 'device' | 'group',
    eventType: string,
    levelId: string,
  ): Promise<string> {
    const signingSecret = `sig-${randomUUID()}`;
    await t.api.put(`${LEVEL}/webhook/signing-secret`, { secret: signingSecret });
    const path = new URL((await t.api.get(`${LEVEL}/webhook`)).body.url as string).pathname;
    const raw = JSON.stringify({
      event_type: eventType,
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      data: { id: levelId },
    });
    const sent = await call(env.apiUrl, 'POST', path, {
      rawBody: raw,
      headers: { 'content-type': 'application/json', 'x-level-signature': `sha256=${signBody(signingSecret, raw)}` },
    });
    assert.equal(sent.status, 202, JSON.stringify(sent.body));
    const workflowId = levelObjectWorkflowId(t.tenant.tenantId, kind, levelId);
    for (let i = 0; i < 200; i++) {
      const text = await historyText(env.temporalClient, workflowId).catch(() => '');
      if (text.includes('activityTaskCompletedEventAttributes')) return workflowId;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the ${kind} run did not apply its change`);
  }

  /** The id of one alert lifecycle run the backfill started (it may still be running). */
  async function anAlertRun(tenantId: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      for await (const run of env.temporalClient.workflow.list({
        query: `WorkflowType = '${ALERT_LIFECYCLE_WORKFLOW}' AND LevelTenant = '${tenantId}'`,
      }))
        return run.workflowId;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no alert lifecycle run found');
  }

  it('replays the committed histories of earlier runs', async () => {
    const files = readdirSync(HISTORY_FIXTURES).filter((file) => file.endsWith('.json'));
    assert.ok(files.length >= 7, 'fixtures are committed (RECORD_HISTORIES=1 records them)');
    for (const file of files) {
      // Saved with protobufjs's toJSON (enum names, base64 bytes), which fromObject reads back.
      const history = temporal.api.history.v1.History.fromObject(
        JSON.parse(readFileSync(join(HISTORY_FIXTURES, file), 'utf8')),
      );
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
    }
  });
});
