// The sync history's rows against the real database: a run that ended without recording its end
// (terminated, timed out) does not stay `running` once the tenant's next sync is planned.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { workflowId } from '../../contracts/workflow-ids';
import { SyncRunSchema } from '../../db/entities';
import { saveIntegration } from '../../db/integration-store';
import { recordPlannedSyncRun, type PlannedSyncRun } from '../../db/sync-run-store';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('sync run store', function () {
  this.timeout(60_000);
  let env: TestEnv;

  before(async () => {
    env = await getTestEnv();
  });

  /** A tenant with its Level integration (a sync run belongs to one). */
  async function integratedTenant() {
    const { tenantId } = await env.createTenant();
    const integration = await saveIntegration(env.em(), env.services.secretBox, tenantId, { apiKey: 'key' });
    return { tenantId, integrationId: integration.id };
  }
  const planned = ({ tenantId, integrationId }: { tenantId: string; integrationId: string }): PlannedSyncRun => ({
    tenantId,
    integrationId,
    syncRunId: randomUUID(),
    workflowId: workflowId(tenantId, 'device-sync'),
    runId: randomUUID(),
    trigger: 'manual',
    expected: 10,
    roots: ['root'],
  });
  const statusOf = async (id: string) => (await env.orm.em.fork().findOneOrFail(SyncRunSchema, { id })).status;

  it("records the tenant's earlier run failed when its next sync is planned while that one still reads running", async () => {
    const tenant = await integratedTenant();
    const ended = planned(tenant);
    const othersRunning = planned(await integratedTenant());
    await recordPlannedSyncRun(env.orm.em.fork(), ended);
    await recordPlannedSyncRun(env.orm.em.fork(), othersRunning);

    const next = planned(tenant);
    await recordPlannedSyncRun(env.orm.em.fork(), next);
    // The plan retried (its first answer lost) leaves its own row running.
    await recordPlannedSyncRun(env.orm.em.fork(), next);

    const endedRow = await env.orm.em.fork().findOneOrFail(SyncRunSchema, { id: ended.syncRunId });
    assert.equal(endedRow.status, 'failed');
    assert.ok(endedRow.finishedAt, 'the ended run has a finish time');
    assert.equal(await statusOf(next.syncRunId), 'running');
    assert.equal(await statusOf(othersRunning.syncRunId), 'running', "another tenant's run is its own");
  });
});
