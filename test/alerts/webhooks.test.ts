// Receiving alerts end to end: Koa receiver → Temporal alert lifecycle → activities → PostgreSQL,
// with the Level simulator serving the device lookup. Also the receiver's refusals.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { alertWorkflowId } from '../../contracts/alerts';
import { signBody } from '../../api/webhook/auth';
import { payloadTemplate } from '../../api/webhook/card';
import { AssetSchema } from '../../db/entities';
import type { LevelSimulator } from '../../simulator';
import { historyText } from '../support/history';
import { call } from '../support/http';
import type { TestEnv } from '../support/test-env';
import {
  ACME_DEVICE,
  BASE,
  alertRow,
  alertTenant,
  inboxOf,
  storyNotesOf,
  templateBody,
  ticketsOf,
  waitFor,
  withAlertStack,
  seedNudgeBody,
} from './fixture';

describe('Alert webhooks', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  it('turns a template webhook into a ticket on the right client and asset through a rule', async () => {
    const t = await alertTenant(env, simulator);
    // A rule for this client's critical alerts, ahead of the default catch-all.
    const rule = await t.api.post('/api/v1/alert-rules', {
      name: 'Acme critical',
      conditions: { severities: ['critical'], clientIds: [t.clientId] },
      actions: {
        createTicket: true,
        priority: 'urgent',
        titleTemplate: '{{client}}: {{alert}} on {{device}}',
        autoResolveTicket: true,
      },
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const rules = await t.api.get('/api/v1/alert-rules');
    await t.api.post('/api/v1/alert-rules/reorder', {
      ids: [rule.body.id, ...rules.body.items.map((r: any) => r.id).filter((id: string) => id !== rule.body.id)],
    });

    const body = templateBody();
    const answer = await t.post(body);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.accepted, true);
    assert.ok(answer.body.eventId);

    const alert = await waitFor('the ticket', async () => {
      const row = await alertRow(env, t.tenantId, body.alert_id as string);
      return row?.ticketId ? row : null;
    });
    const asset = await env.em().findOneOrFail(AssetSchema, { tenantId: t.tenantId, levelDeviceId: ACME_DEVICE });
    assert.equal(alert.clientId, t.clientId);
    assert.equal(alert.assetId, asset.id);
    assert.equal(alert.matchedRuleId, rule.body.id);
    assert.equal(alert.status, 'active');
    const ticket = await t.api.get(`/api/v1/tickets/${alert.ticketId}`);
    assert.equal(ticket.body.clientId, t.clientId);
    assert.equal(ticket.body.assetId, asset.id);
    assert.equal(ticket.body.priority, 'urgent');
    assert.match(ticket.body.title, /^Acme [0-9a-f]+: Disk space low on Acme file server$/);
    assert.deepEqual(ticket.body.alertIds, [alert.id]);

    const listed = await t.api.get('/api/v1/alerts?status=active');
    assert.equal(listed.body.items[0].ticketId, alert.ticketId);

    // No secret in the run's history.
    const history = await historyText(env.temporalClient, alertWorkflowId(t.tenantId, body.alert_id as string));
    assert.ok(history.includes(body.alert_id as string));
    for (const secret of [t.secret, t.apiKey]) assert.ok(!history.includes(secret), 'a secret leaked into the history');
    assert.match(alertWorkflowId(t.tenantId, 'a/b+c'), /^level\/[0-9a-f-]+\/alert\/a%2Fb%2Bc$/);

    // The new ticket tells the technician the device's state, read from Level (the simulator's device).
    const device = simulator.fleet.deviceDocument(ACME_DEVICE)!;
    const note = await waitFor('the health snapshot note', async () => {
      const notes = (await t.api.get(`/api/v1/tickets/${alert.ticketId}`)).body.notes as Array<{ body: string }>;
      return notes.find((n) => n.body.startsWith('Device health from Level'));
    });
    assert.match(note.body, new RegExp(`^Device: ${device.hostname}( \\(.*\\))?$`, 'm'));
    assert.match(note.body, /^Online: (yes|no)$/m);
  });

  it('accepts a native signed webhook the same way', async () => {
    const t = await alertTenant(env, simulator);
    const signingSecret = `sig_${randomUUID()}`;
    const saved = await t.api.put(`${BASE}/webhook/signing-secret`, { secret: signingSecret });
    assert.equal(saved.status, 200);
    assert.equal(saved.body.signingSecretConfigured, true);
    assert.ok(!JSON.stringify(saved.body).includes(signingSecret));

    const levelAlertId = `na/${randomUUID()}+1`;
    const envelope = {
      event_type: 'alert_active',
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      data: {
        id: levelAlertId,
        device_id: ACME_DEVICE,
        device_hostname: 'ACME-SRV-1',
        name: 'CPU high',
        description: null,
        payload: null,
        severity: 'warning',
        is_resolved: false,
        started_at: new Date().toISOString(),
        resolved_at: null,
      },
    };
    const answer = await t.postNative(envelope, signingSecret);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.eventId, `native:${envelope.event_id}`);
    const alert = await waitFor('the ticket', async () => {
      const row = await alertRow(env, t.tenantId, levelAlertId);
      return row?.ticketId ? row : null;
    });
    assert.equal(alert.clientId, t.clientId);
    assert.ok(alert.assetId);
    const ticket = await t.api.get(`/api/v1/tickets/${alert.ticketId}`);
    assert.equal(ticket.body.priority, 'medium', 'warning maps to medium');

    // The same envelope again (Level retries) is harmless; event types not ours are accepted and ignored.
    assert.equal((await t.postNative(envelope, signingSecret)).status, 202);
    const ignored = await t.postNative(
      {
        event_type: 'script_finished',
        event_id: randomUUID(),
        occurred_at: new Date().toISOString(),
        data: { id: ACME_DEVICE },
      },
      signingSecret,
    );
    assert.equal(ignored.status, 202);
    assert.equal(ignored.body.ignored, true);

    // A resolve envelope closes the untouched ticket (the default rule auto-resolves).
    const resolved = await t.postNative(
      {
        ...envelope,
        event_type: 'alert_resolved',
        event_id: randomUUID(),
        occurred_at: new Date(Date.now() + 1000).toISOString(),
        data: { ...envelope.data, is_resolved: true, resolved_at: new Date(Date.now() + 1000).toISOString() },
      },
      signingSecret,
    );
    assert.equal(resolved.status, 202);
    await waitFor(
      'the ticket to close',
      async () => (await t.api.get(`/api/v1/tickets/${alert.ticketId}`)).body.status === 'closed',
    );
    assert.equal((await ticketsOf(env, t.tenantId)).length, 1);

    const history = await historyText(env.temporalClient, alertWorkflowId(t.tenantId, levelAlertId));
    for (const secret of [signingSecret, t.secret, t.apiKey])
      assert.ok(!history.includes(secret), 'a secret leaked into the history');
  });

  it('refuses bad deliveries with the right code and records nothing', async () => {
    const t = await alertTenant(env, simulator);
    const signingSecret = `sig_${randomUUID()}`;
    await t.api.put(`${BASE}/webhook/signing-secret`, { secret: signingSecret });
    const body = templateBody();

    const wrongSecret = await t.post(body, { 'x-alga-webhook-secret': `${t.secret.slice(0, -2)}xx` });
    assert.equal(wrongSecret.status, 401);
    assert.equal(wrongSecret.body.error.code, 'unauthorized');
    assert.ok(!JSON.stringify(wrongSecret.body).includes(t.secret));
    assert.equal((await t.post(body, {})).status, 401, 'no secret at all');
    const badSignature = await t.post(body, { 'x-level-signature': `sha256=${'0'.repeat(64)}` });
    assert.equal(badSignature.status, 401);
    assert.equal((await t.post(body, { 'x-level-signature': 'garbage' })).status, 401);
    // Signed with the right secret over different bytes (re-serialised body): still refused.
    const envelope = {
      event_type: 'alert_active',
      event_id: randomUUID(),
      data: { id: 'x', device_id: ACME_DEVICE, name: 'n' },
    };
    const tampered = await t.post(JSON.stringify(envelope, null, 2), {
      'x-level-signature': `sha256=${signBody(signingSecret, JSON.stringify(envelope))}`,
    });
    assert.equal(tampered.status, 401);
    assert.equal((await call404()).status, 404);

    const unfilled = await t.post(payloadTemplate());
    assert.equal(unfilled.status, 422);
    assert.equal(unfilled.body.error.code, 'template_not_filled');
    assert.match(unfilled.body.error.message, /device_id/);
    assert.match(unfilled.body.error.message, /Level automation/);

    const oversized = await t.post({ ...body, description: 'x'.repeat(300 * 1024) });
    assert.equal(oversized.status, 413);
    const notJson = await t.post('event=alert.triggered', {
      'x-alga-webhook-secret': t.secret,
      'content-type': 'text/plain',
    });
    assert.equal(notJson.status, 415);
    const malformed = await t.post('{"event": "alert.triggered",', { 'x-alga-webhook-secret': t.secret });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.code, 'invalid_json');
    const missing = await t.post({ event: 'alert.triggered', name: 'x' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.error.message, /device_id/);
    const unknownEvent = await t.post({ ...body, event: 'alert.exploded' });
    assert.equal(unknownEvent.status, 400);

    // Each refusal above was answered before anything was recorded: nothing runs after a 4xx.
    assert.equal((await t.alerts()).length, 0);
    assert.equal((await inboxOf(env, t.tenantId)).length, 0);
    assert.equal((await ticketsOf(env, t.tenantId)).length, 0);
    const runs = env.temporalClient.workflow.list({ query: `WorkflowId STARTS_WITH "level/${t.tenantId}/alert"` });
    for await (const run of runs) assert.fail(`unexpected run ${run.workflowId}`);
  });

  it('masks the secret on the card, rotates it, and answers the test alert with its ticket', async () => {
    const t = await alertTenant(env, simulator);
    const masked = await t.api.get(`${BASE}/webhook`);
    assert.equal(masked.body.header.name, 'X-Alga-Webhook-Secret');
    assert.ok(!JSON.stringify(masked.body).includes(t.secret));
    assert.match(masked.body.header.value, /…/);
    assert.match(masked.body.url, new RegExp(`/webhooks/level/${t.webhookId}$`));
    assert.deepEqual(masked.body.payloadTemplate, payloadTemplate());
    assert.equal(
      masked.body.resolvedPayloadTemplate,
      undefined,
      'there is nothing Level could fill in a resolve template',
    );
    assert.equal(masked.body.signingSecretConfigured, false);

    const rotated = await t.api.post(`${BASE}/webhook/rotate-secret`);
    assert.equal(rotated.status, 200);
    const fresh = rotated.body.header.value as string;
    assert.notEqual(fresh, t.secret);
    assert.equal((await t.post(templateBody())).status, 401, 'the old secret no longer works');
    const first = templateBody();
    assert.equal((await t.post(first, { 'x-alga-webhook-secret': fresh })).status, 202);
    await waitFor('the first alert', () => alertRow(env, t.tenantId, first.alert_id as string));

    const test = await t.api.post(`${BASE}/webhook/test`);
    assert.equal(test.status, 200, JSON.stringify(test.body));
    assert.ok(test.body.alertId);
    assert.ok(test.body.ticketId, 'the default catch-all rule opens a ticket');
    const ticket = await t.api.get(`/api/v1/tickets/${test.body.ticketId}`);
    assert.equal(ticket.body.clientId, t.clientId, 'the test alert uses a synced device');
  });

  async function call404() {
    return call(env.apiUrl, 'POST', '/webhooks/level/no-such-webhook', {
      rawBody: '{}',
      headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': 'x' },
    });
  }

  it('stops accepting deliveries the moment the integration is disconnected', async () => {
    const t = await alertTenant(env, simulator);
    assert.equal((await t.post(templateBody())).status, 202, 'the receiver has the webhook cached now');
    assert.equal((await t.api.delete(BASE)).status, 200);
    const after = await t.post(templateBody());
    assert.ok([401, 404].includes(after.status), `HTTP ${after.status}`);
  });

  it('notes nothing for a nudge body but reconciles the device through the Level API', async () => {
    const t = await alertTenant(env, simulator);
    const levelAlert = simulator.fleet.addAlert({
      deviceId: ACME_DEVICE,
      name: `Service stopped ${randomUUID().slice(0, 6)}`,
      severity: 'critical',
    });
    const nudge = await t.post(seedNudgeBody());
    assert.equal(nudge.status, 202, JSON.stringify(nudge.body));
    assert.equal(nudge.body.reconcileDevice, true);
    const alert = await waitFor('the reconciled alert', async () => {
      const row = await alertRow(env, t.tenantId, levelAlert.id);
      return row?.ticketId ? row : null;
    });
    assert.equal(alert.clientId, t.clientId);
    assert.equal((await storyNotesOf(env, alert.ticketId!)).length, 0);
  });
});
