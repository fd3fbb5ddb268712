// The card's automation payload template, pasted verbatim into a simulated Level automation: Level
// fills only its system variables, the receiver reconciles the device's alerts from Level's API,
// and a burst of automations for one device costs one reconcile.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { deviceReconcileWorkflowId } from '../../contracts/alerts';
import { payloadTemplate } from '../../api/webhook/card';
import { parseWebhook } from '../../api/webhook/parse';
import { renderAutomationTemplate, type LevelSimulator } from '../../simulator';
import { automationFromCard } from '../support/automation';
import type { TestEnv } from '../support/test-env';
import { ACME_DEVICE, BASE, alertRow, alertTenant, waitFor, withAlertStack } from './fixture';

describe('Automation payload template', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  it('renders like Level: system variables filled, anything else left literal', () => {
    const text = renderAutomationTemplate(
      simulator.fleet,
      ACME_DEVICE,
      '{"d":"{{level_device_id}}","p":"{{level_group_path}}","h":"{{ level_device_hostname }}","a":"{{alert_id}}","c":"{{cf_site}}"}',
      new Date('2026-12-01T00:00:00Z'),
    );
    assert.deepEqual(JSON.parse(text), {
      d: ACME_DEVICE,
      p: 'Acme Corp/Servers',
      h: 'ACME-SRV-1',
      a: '{{alert_id}}',
      c: '{{cf_site}}',
    });
  });

  it("turns the device's active alerts into tickets and closes them when they resolve", async () => {
    const t = await alertTenant(env, simulator);
    const card = (await t.api.get(`${BASE}/webhook?reveal=true`)).body;
    const automation = automationFromCard(env.apiUrl, card);
    const active = simulator.fleet.addAlert({
      deviceId: ACME_DEVICE,
      name: `Disk full ${randomUUID().slice(0, 6)}`,
      severity: 'critical',
    });
    const earlier = simulator.fleet.addAlert({
      deviceId: ACME_DEVICE,
      name: 'Reboot pending',
      resolvedAt: new Date().toISOString(),
    });

    const run = await simulator.runAutomation(ACME_DEVICE, automation);
    assert.equal(run.status, 202, JSON.stringify(run.body));
    assert.ok(!run.sentBody.includes('{{'), "Level filled every variable of the card's template");
    const ticketed = await waitFor("the active alert's ticket", async () => {
      const row = await alertRow(env, t.tenantId, active.id);
      return row?.ticketId ? row : null;
    });
    assert.equal(ticketed.clientId, t.clientId);
    const recorded = await waitFor('the resolved alert', () => alertRow(env, t.tenantId, earlier.id));
    assert.equal(recorded.status, 'resolved');
    assert.equal(recorded.ticketId, null, 'an alert first seen resolved opens no ticket');

    simulator.fleet.resolveAlert(active.id);
    assert.equal((await simulator.runAutomation(ACME_DEVICE, automation)).status, 202);
    await waitFor(
      'the ticket to close',
      async () => (await t.api.get(`/api/v1/tickets/${ticketed.ticketId}`)).body.status === 'closed',
    );
    assert.equal((await alertRow(env, t.tenantId, active.id))?.status, 'resolved');
  });

  it("costs one reconcile (one pass over the device's alerts in Level) for a burst of automations", async () => {
    const t = await alertTenant(env, simulator);
    const automation = automationFromCard(env.apiUrl, (await t.api.get(`${BASE}/webhook?reveal=true`)).body);
    const alertsBefore = simulator.stats.countFor('/v2/alerts');
    // Four alerts of one device fire their automations at the same moment.
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => simulator.runAutomation(ACME_DEVICE, automation)),
    );
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [202, 202, 202, 202],
    );
    const result = await env.temporalClient.workflow
      .getHandle(deviceReconcileWorkflowId(t.tenantId, ACME_DEVICE))
      .result();
    assert.equal(result.passes, 1, JSON.stringify(result));
    // One pass reads the device's active and its recently resolved alerts: one page each.
    assert.equal(simulator.stats.countFor('/v2/alerts') - alertsBefore, 2);
  });
});

describe('Automation template parsing', () => {
  const body = (occurredAt: unknown) => ({
    ...payloadTemplate(),
    device_id: 'dev-1',
    hostname: 'PC-1',
    group_id: 'g',
    group_path: 'HQ',
    occurred_at: occurredAt,
  });
  const nudgeId = (occurredAt: unknown, at: string) => {
    const parsed = parseWebhook(body(occurredAt), new Date(at));
    assert.equal(parsed.kind, 'nudge');
    return parsed.kind === 'nudge' ? parsed.eventId : '';
  };

  it('keeps one id for a retry of the same body and tells automation runs apart by level_time', () => {
    assert.equal(
      nudgeId('2026-12-01T10:00:00Z', '2026-12-01T10:00:01Z'),
      nudgeId('2026-12-01T10:00:00Z', '2026-12-01T10:05:00Z'),
    );
    assert.notEqual(
      nudgeId('2026-12-01T10:00:00Z', '2026-12-01T10:00:01Z'),
      nudgeId('2026-12-01T10:01:00Z', '2026-12-01T10:01:01Z'),
    );
  });

  it('does not make every nudge of a device a redelivery when its time was left unfilled', () => {
    assert.notEqual(
      nudgeId('{{level_time}}', '2026-12-01T10:00:01Z'),
      nudgeId('{{level_time}}', '2026-12-01T10:02:00Z'),
    );
    // The seed's alert template as Level sends it (device filled, alert variables literal): the same.
    const seed = {
      event: 'alert.triggered',
      alert_id: '{{alert_id}}',
      device_id: 'dev-1',
      name: '{{alert_name}}',
      occurred_at: '{{alert_started_at}}',
    };
    const ids = ['2026-12-01T10:00:01Z', '2026-12-01T10:02:00Z']
      .map((at) => parseWebhook(seed, new Date(at)))
      .map((parsed) => (parsed.kind === 'nudge' ? parsed.eventId : parsed.kind));
    assert.notEqual(ids[0], ids[1]);
  });

  it('answers 422 when Level did not fill the device id (the template did not come from a Level automation)', () => {
    assert.throws(
      () => parseWebhook(payloadTemplate(), new Date()),
      (err: { status?: number; code?: string }) => err.status === 422 && err.code === 'template_not_filled',
    );
  });
});
