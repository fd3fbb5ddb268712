// Runs a person can read in the Temporal UI: an alert run's summary in words, its static details,
// its current details as it moves, and the LevelDeviceId / LevelAlertStatus search attributes; a
// device sync's summary and progress. Read back with describe() as the UI does.
import assert from 'node:assert/strict';
import { alertWorkflowId, deviceReconcileWorkflowId } from '../../contracts/alerts';
import type { LevelSimulator } from '../../simulator';
import {
  ALERT_STATUS_ATTRIBUTE,
  DEVICE_ATTRIBUTE,
  OPERATION_ATTRIBUTE,
  TENANT_ATTRIBUTE,
} from '../../contracts/search-attributes';
import {
  ACME_DEVICE,
  alertTenant,
  BASE,
  LOOSE_DEVICE,
  startAlertSimulator,
  templateBody,
  ticketsOf,
  waitFor,
  type AlertTenant,
  seedNudgeBody,
} from '../alerts/fixture';
import { currentDetails } from '../support/history';
import { replayAndRecord } from '../support/replay-fixtures';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('runs in the Temporal UI', function () {
  let env: TestEnv;
  let simulator: LevelSimulator;
  let t: AlertTenant;

  before(async function () {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    t = await alertTenant(env, simulator);
    const sync = await t.api.post(`${BASE}/device-sync?wait=true`);
    assert.equal(sync.body.status, 'completed', JSON.stringify(sync.body));
  });
  after(async () => simulator?.close());

  it('names an alert run in words, keeps its details and status current, and replays', async () => {
    const body = templateBody({ name: 'Disk full', severity: 'critical' });
    assert.equal((await t.post(body)).status, 202);
    const handle = env.temporalClient.workflow.getHandle(alertWorkflowId(t.tenantId, body.alert_id as string));
    await waitFor('the ticket', async () =>
      /^Opened ticket #\d+ for /.test(await currentDetails(handle).catch(() => '')),
    );
    // The ticket as a technician names it: its number in the tenant and its client.
    const ticket = (await ticketsOf(env, t.tenantId)).at(-1)!;
    const client = ((await t.api.get('/api/v1/clients')).body.items as Array<{ id: string; name: string }>).find(
      (c) => c.id === t.clientId,
    )!;
    assert.equal(await currentDetails(handle), `Opened ticket #${ticket.number} for ${client.name}`);

    const described = await handle.describe();
    assert.equal(await described.staticSummary(), 'Disk full on ACME-SRV-1 — critical');
    const details = (await described.staticDetails()) ?? '';
    assert.match(details, new RegExp(`\\*\\*Level alert\\*\\* ${escape(body.alert_id as string)}`));
    assert.match(details, new RegExp(`ACME-SRV-1 · ${escape(ACME_DEVICE)}`));
    assert.match(details, /a triggered event \(template\)/);
    assert.doesNotMatch(details, new RegExp(escape(t.secret)), 'no secret in the details');
    const attributes = described.typedSearchAttributes;
    assert.equal(attributes.get(TENANT_ATTRIBUTE), t.tenantId);
    assert.equal(attributes.get(OPERATION_ATTRIBUTE), 'alert');
    assert.equal(attributes.get(DEVICE_ATTRIBUTE), ACME_DEVICE);
    assert.equal(attributes.get(ALERT_STATUS_ATTRIBUTE), 'active');

    assert.equal(
      (await t.post({ ...body, event: 'alert.resolved', occurred_at: new Date(Date.now() + 1000).toISOString() }))
        .status,
      202,
    );
    await waitFor('the resolve shown', async () => (await currentDetails(handle)) === 'Resolved, ticket closed');
    assert.equal((await handle.describe()).typedSearchAttributes.get(ALERT_STATUS_ATTRIBUTE), 'resolved');
    // An operator's filter in the UI (visibility is eventually consistent: poll).
    await waitFor('the run listed by device and status', async () => {
      for await (const run of env.temporalClient.workflow.list({
        query: `LevelDeviceId = '${ACME_DEVICE}' AND LevelAlertStatus = 'resolved' AND LevelTenant = '${t.tenantId}'`,
      }))
        return run.workflowId === handle.workflowId;
      return false;
    });

    await replayAndRecord(handle, 'alertLifecycle-status-attribute');
  });

  it('shows an alert of a device no mapping covers as unmapped, in its details and its status', async () => {
    const body = templateBody({
      device_id: LOOSE_DEVICE,
      hostname: 'LOOSE-1',
      group_id: 'un+mapped',
      name: 'Loose disk',
    });
    assert.equal((await t.post(body)).status, 202);
    const handle = env.temporalClient.workflow.getHandle(alertWorkflowId(t.tenantId, body.alert_id as string));
    await waitFor('the routing shown', async () =>
      /^Recorded as unmapped/.test(await currentDetails(handle).catch(() => '')),
    );
    assert.equal((await handle.describe()).typedSearchAttributes.get(ALERT_STATUS_ATTRIBUTE), 'unmapped');
  });

  it('names the operations in words: sync with its mapped roots, test, discovery, backfill, device reconcile', async () => {
    const level = new URL(simulator.url).host;
    const started = async (path: string) => {
      const run = await t.api.post(`${BASE}/${path}?wait=true`);
      assert.equal(run.body.status, 'completed', JSON.stringify(run.body));
      return env.temporalClient.workflow.getHandle(run.body.workflowId as string, run.body.runId as string);
    };
    const sync = await started('device-sync');
    const described = await sync.describe();
    assert.equal(await described.staticSummary(), 'Device sync — 1 mapped root');
    const details = (await described.staticDetails()) ?? '';
    assert.match(details, new RegExp(`\\*\\*Tenant\\*\\* ${t.tenantId}`));
    assert.match(details, new RegExp(`\\*\\*Level\\*\\* ${escape(simulator.url)}`));
    assert.match(details, /\*\*Mapped roots at start\*\* 1/);
    assert.doesNotMatch(details, new RegExp(escape(t.apiKey)), 'never the API key');
    assert.equal(described.typedSearchAttributes.get(OPERATION_ATTRIBUTE), 'device-sync');
    assert.match(await currentDetails(sync), /devices/);

    assert.equal(
      await (await (await started('test-connection')).describe()).staticSummary(),
      `Test connection — ${level}`,
    );
    assert.equal(
      await (await (await started('discover-groups')).describe()).staticSummary(),
      `Discover groups — ${level}`,
    );
    const backfill = await started('backfill-alerts');
    assert.equal(await (await backfill.describe()).staticSummary(), `Backfill alerts — ${level}`);
    assert.match(await currentDetails(backfill), /^\*\*Resolved alerts\*\*, page 1: \d+ fetched, \d+ new/);

    const nudge = await t.post(seedNudgeBody());
    assert.equal(nudge.body.reconcileDevice, true, JSON.stringify(nudge.body));
    const reconcile = env.temporalClient.workflow.getHandle(deviceReconcileWorkflowId(t.tenantId, ACME_DEVICE));
    const reconciled = await waitFor('the reconcile run', () => reconcile.describe().catch(() => null));
    assert.equal(await reconciled.staticSummary(), `Alert reconcile — device ${ACME_DEVICE}`);
    assert.equal(reconciled.typedSearchAttributes.get(DEVICE_ATTRIBUTE), ACME_DEVICE);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
