// Alerts of devices that no mapping covers: recorded `unmapped`, no ticket by default (the
// catch-all does not take them), routed by a rule with `"unmapped": true` (a triage queue). The
// card's test alert needs a synced device of a mapped group.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { LevelSimulator } from '../../simulator';
import { apiAs } from '../support/http';
import type { TestEnv } from '../support/test-env';
import {
  ACME_DEVICE,
  BASE,
  LOOSE_DEVICE,
  alertRow,
  alertTenant,
  templateBody,
  ticketsOf,
  waitFor,
  withAlertStack,
} from './fixture';

describe('Unmapped alerts', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  const looseAlert = () =>
    templateBody({
      device_id: LOOSE_DEVICE,
      hostname: 'LOOSE-1',
      group_id: 'un+mapped',
      name: `Fan failure ${randomUUID().slice(0, 6)}`,
    });

  it('records an alert of a device no mapping covers as unmapped, with no ticket', async () => {
    const t = await alertTenant(env, simulator);
    const body = looseAlert();
    assert.equal((await t.post(body)).status, 202);
    // Routing writes the alert row (and a ticket, if any) in one transaction: a visible row is routed.
    const alert = await waitFor('the unmapped alert', () => alertRow(env, t.tenantId, body.alert_id as string));
    assert.equal(alert.status, 'unmapped');
    assert.equal(alert.ticketId, null);
    assert.equal(alert.clientId, null);
    assert.equal((await ticketsOf(env, t.tenantId)).length, 0, 'the catch-all does not take unmapped alerts');
    const listed = await t.api.get('/api/v1/alerts?status=unmapped');
    assert.deepEqual(
      listed.body.items.map((a: any) => a.levelAlertId),
      [body.alert_id],
    );
  });

  it('routes unmapped alerts through a rule with "unmapped": true, and only those', async () => {
    const t = await alertTenant(env, simulator);
    const triage = await t.api.post('/api/v1/alert-rules', {
      name: 'Triage unmapped devices',
      conditions: { unmapped: true },
      actions: {
        createTicket: true,
        assignee: 'triage',
        titleTemplate: 'Unmapped: {{alert}} on {{device}}',
        autoResolveTicket: true,
      },
    });
    assert.equal(triage.status, 201, JSON.stringify(triage.body));
    assert.equal(triage.body.conditions.unmapped, true);

    const body = looseAlert();
    assert.equal((await t.post(body)).status, 202);
    const alert = await waitFor('the triaged alert', () => alertRow(env, t.tenantId, body.alert_id as string));
    assert.equal(alert.status, 'unmapped');
    assert.equal(alert.matchedRuleId, triage.body.id);
    const ticket = (await t.api.get(`/api/v1/tickets/${alert.ticketId}`)).body;
    assert.equal(ticket.title, `Unmapped: ${body.name as string} on LOOSE-1`);
    assert.equal(ticket.clientId, null);

    // A mapped device's alert still goes to the catch-all, not to the triage rule.
    const mapped = templateBody({ device_id: ACME_DEVICE });
    assert.equal((await t.post(mapped)).status, 202);
    const mappedAlert = await waitFor('the mapped alert', () => alertRow(env, t.tenantId, mapped.alert_id as string));
    assert.equal(mappedAlert.status, 'active');
    assert.notEqual(mappedAlert.matchedRuleId, triage.body.id);
    assert.equal(mappedAlert.clientId, t.clientId);

    // Its resolve closes the triage ticket like any other.
    assert.equal(
      (await t.post({ ...body, event: 'alert.resolved', occurred_at: new Date(Date.now() + 1000).toISOString() }))
        .status,
      202,
    );
    await waitFor(
      'the triage ticket to close',
      async () => (await t.api.get(`/api/v1/tickets/${alert.ticketId}`)).body.status === 'closed',
    );
    assert.equal((await alertRow(env, t.tenantId, body.alert_id as string))?.status, 'resolved');
  });

  it('refuses a rule whose unmapped condition is not a boolean, storing nothing', async () => {
    const t = await alertTenant(env, simulator);
    const before = (await t.api.get('/api/v1/alert-rules')).body.items.length;
    const refused = await t.api.post('/api/v1/alert-rules', {
      name: 'Bad',
      conditions: { unmapped: 'yes' },
      actions: { createTicket: true },
    });
    assert.equal(refused.status, 400);
    assert.ok(JSON.stringify(refused.body.error.details).includes('conditions.unmapped'), JSON.stringify(refused.body));
    assert.equal((await t.api.get('/api/v1/alert-rules')).body.items.length, before);
  });

  it('answers 409 for the test alert while no synced device of a mapped group exists', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    assert.equal((await api.put(BASE, { apiKey: simulator.apiKey, baseUrl: simulator.url })).status, 200);
    const refused = await api.post(`${BASE}/webhook/test`);
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, 'nothing_mapped');
    assert.match(refused.body.error.message, /map a Level group .* run Device Sync first/);
    assert.equal((await api.get('/api/v1/alerts')).body.items.length, 0, 'nothing was sent');
  });
});
