// Retries that end: routing that meets data PostgreSQL refuses (here a NUL byte, as an older
// receiver or Level's own API could hand it over) parks the alert as `failed` with the reason,
// visible in the alert list and the run's details, instead of retrying forever; the run stays
// alive and the alert's other events still apply.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { alertEventDelivery, type AlertEvent } from '../../contracts/alerts';
import { currentDetails } from '../support/history';
import { saveFixture, shouldRecord } from '../support/replay-fixtures';
import { deliverSignal } from '../../temporal/signal-delivery';
import type { LevelSimulator } from '../../simulator';
import { ACME_DEVICE, alertRow, alertTenant, startAlertSimulator, waitFor, type AlertTenant } from '../alerts/fixture';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('Security: alerts whose data the database refuses', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let t: AlertTenant;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    t = await alertTenant(env, simulator);
  });

  after(async () => {
    await simulator.close();
  });

  function event(levelAlertId: string, kind: AlertEvent['kind'], name: string): AlertEvent {
    const occurredAt = new Date(Date.now() + (kind === 'resolved' ? 1000 : 0)).toISOString();
    return {
      eventId: randomUUID(),
      kind,
      occurredAt,
      source: 'native',
      alert: {
        levelAlertId,
        levelDeviceId: ACME_DEVICE,
        name,
        description: 'disk\u0000full',
        severity: 'critical',
        startedAt: occurredAt,
        resolvedAt: kind === 'resolved' ? occurredAt : null,
        hostname: null,
        levelGroupId: null,
      },
    };
  }

  async function send(alertEvent: AlertEvent) {
    const integrationId = (await env.em().getKnex()('level_integrations').where({ tenant_id: t.tenantId }).first())
      .id as string;
    const delivery = alertEventDelivery(t.tenantId, integrationId, alertEvent);
    await deliverSignal(env.temporalClient, env.config.taskQueue, delivery);
    return delivery.workflowId;
  }

  it('parks the alert as failed with the reason, and shows it in the list and the run', async () => {
    const levelAlertId = `nul-${randomUUID()}`;
    const workflowId = await send(event(levelAlertId, 'triggered', 'Disk\u0000 space low'));

    const parked = await waitFor('the alert parked', async () => {
      const row = await alertRow(env, t.tenantId, levelAlertId);
      return row?.status === 'failed' ? row : null;
    });
    assert.match(parked.failureReason ?? '', /database refused the alert's data/);
    assert.equal(parked.name, 'Disk space low', 'stored without the NUL');

    const listed = await t.api.get('/api/v1/alerts?status=failed');
    const item = listed.body.items.find((a: { levelAlertId: string }) => a.levelAlertId === levelAlertId);
    assert.ok(item, JSON.stringify(listed.body));
    assert.match(item.failureReason, /database refused/);

    const handle = env.temporalClient.workflow.getHandle(workflowId);
    assert.equal(
      (await handle.describe()).status.name,
      'RUNNING',
      'the run waits for the next event instead of failing',
    );
    assert.match(await currentDetails(handle), /^Parked as failed: /);
    const history = await handle.fetchHistory();
    const failedTasks = history.events?.filter((e) => e.workflowTaskFailedEventAttributes) ?? [];
    assert.equal(failedTasks.length, 0, 'no workflow task failed: the failure was handled, not retried');
    if (shouldRecord('alertLifecycle-parked')) saveFixture('alertLifecycle-parked', history);

    // Its resolve (clean data) still applies to the parked row.
    await send({
      ...event(levelAlertId, 'resolved', 'Disk space low'),
      alert: { ...event(levelAlertId, 'resolved', 'Disk space low').alert, description: 'ok' },
    });
    const resolved = await waitFor('the resolve applied', async () => {
      const row = await alertRow(env, t.tenantId, levelAlertId);
      return row?.status === 'resolved' ? row : null;
    });
    assert.equal(resolved.failureReason, null);
  });
});
