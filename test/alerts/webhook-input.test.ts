// Bad input cannot hurt the receiver (issue 10): ids and text over their limits, event types
// from an object's prototype, NUL characters and unpaired surrogates, times far in the future.
// Each refusal is a 400 naming the field with nothing recorded; what is cleaned still ends in a ticket.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { alertWorkflowId } from '../../contracts/alerts';
import type { LevelSimulator } from '../../simulator';
import { errorFields } from '../support/http';
import type { TestEnv } from '../support/test-env';
import {
  ACME_DEVICE,
  BASE,
  alertRow,
  alertTenant,
  inboxOf,
  templateBody,
  ticketsOf,
  waitFor,
  type AlertTenant,
  withAlertStack,
} from './fixture';

const SIGNALED = temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED;

describe('Alert webhooks: bad input', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  /** Nothing of the tenant was stored: no alert, no inbox row, no ticket, no run. */
  async function assertNothingRecorded(t: AlertTenant) {
    assert.equal((await t.alerts()).length, 0);
    assert.equal((await inboxOf(env, t.tenantId)).length, 0);
    assert.equal((await ticketsOf(env, t.tenantId)).length, 0);
    for await (const run of env.temporalClient.workflow.list({
      query: `WorkflowId STARTS_WITH "level/${t.tenantId}/alert"`,
    }))
      assert.fail(`unexpected run ${run.workflowId}`);
  }

  function assertRefused(answer: { status: number; body: any }, field: string) {
    assert.equal(answer.status, 400, JSON.stringify(answer.body).slice(0, 300));
    assert.equal(typeof answer.body.error.code, 'string');
    assert.equal(typeof answer.body.error.message, 'string');
    assert.deepEqual(errorFields(answer), [field]);
  }

  it('refuses ids over 200 characters and text over 64 KiB, naming the field, and records nothing', async () => {
    const t = await alertTenant(env, simulator);
    const signingSecret = `sig_${randomUUID()}`;
    await t.api.put(`${BASE}/webhook/signing-secret`, { secret: signingSecret });
    const long = 'x'.repeat(201);
    assertRefused(await t.post(templateBody({ alert_id: long })), 'alert_id');
    assertRefused(await t.post(templateBody({ device_id: long })), 'device_id');
    assertRefused(await t.post(templateBody({ group_id: long })), 'group_id');
    assertRefused(await t.post(templateBody({ description: 'é'.repeat(32 * 1024 + 1) })), 'description'); // 64 KiB + 2 bytes in UTF-8
    assertRefused(await t.post(templateBody({ name: { text: 'not a string' } })), 'name');
    const envelope = (overrides: Record<string, unknown>, data: Record<string, unknown> = {}) => ({
      event_type: 'alert_active',
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      ...overrides,
      data: {
        id: `na/${randomUUID()}`,
        device_id: ACME_DEVICE,
        name: 'CPU high',
        severity: 'warning',
        started_at: new Date().toISOString(),
        ...data,
      },
    });
    assertRefused(await t.postNative(envelope({ event_id: 'e'.repeat(250_000) }), signingSecret), 'event_id');
    assertRefused(await t.postNative(envelope({}, { id: long }), signingSecret), 'data.id');
    assertRefused(await t.postNative(envelope({}, { group_id: long }), signingSecret), 'data.group_id');
    assertRefused(
      await t.postNative(envelope({ event_type: 'device_updated' }, { child_ids: ['ok', long] }), signingSecret),
      'data.child_ids.1',
    );
    await assertNothingRecorded(t);

    // At the limits exactly: accepted.
    const atLimit = templateBody({ alert_id: 'a'.repeat(200), description: 'd'.repeat(64 * 1024) });
    assert.equal((await t.post(atLimit)).status, 202);
    await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, atLimit.alert_id as string))?.ticketId);
  });

  it('takes event types only from the known list: "constructor" is no resolve', async () => {
    const t = await alertTenant(env, simulator);
    const signingSecret = `sig_${randomUUID()}`;
    await t.api.put(`${BASE}/webhook/signing-secret`, { secret: signingSecret });
    const trigger = templateBody({ name: 'Prototype probe' });
    const accepted = await t.post(trigger);
    assert.equal(accepted.status, 202);
    const levelAlertId = trigger.alert_id as string;
    await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, levelAlertId))?.ticketId);

    const later = new Date(Date.now() + 1000).toISOString();
    for (const event of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const answer = await t.post({ ...trigger, event, occurred_at: later });
      assertRefused(answer, 'event');
      assert.equal(answer.body.error.code, 'unknown_event');
    }
    // A native envelope with a prototype key is an unknown type: accepted and ignored, never applied.
    const native = await t.postNative(
      {
        event_type: 'constructor',
        event_id: randomUUID(),
        occurred_at: later,
        data: { id: levelAlertId, device_id: ACME_DEVICE, name: 'Prototype probe', resolved_at: later },
      },
      signingSecret,
    );
    assert.equal(native.status, 202);
    assert.equal(native.body.ignored, true);
    // Answered: nothing reached the run beyond the trigger, the alert is still open.
    const history = await env.temporalClient.workflow
      .getHandle(alertWorkflowId(t.tenantId, levelAlertId))
      .fetchHistory();
    assert.equal((history.events ?? []).filter((e) => e.eventType === SIGNALED).length, 1);
    assert.equal((await alertRow(env, t.tenantId, levelAlertId))?.status, 'active');
    // The trigger itself may have passed through the inbox (Temporal slower than the accept budget).
    assert.deepEqual(
      (await inboxOf(env, t.tenantId)).map((row) => row.eventId).filter((id) => id !== accepted.body.eventId),
      [],
    );
  });

  it('removes NUL characters and unpaired surrogates from text, so the alert still becomes a ticket', async () => {
    const t = await alertTenant(env, simulator);
    // Raw JSON: the escapes reach the receiver exactly as a sender wrote them.
    const body = templateBody({ name: 'NAME', description: 'DESC' });
    const raw = JSON.stringify(body)
      .replace('"NAME"', '"disk\\u0000full \\ud800"')
      .replace('"DESC"', '"C:\\u0000 \\udc00low \\ud83d\\ude00"');
    const answer = await t.post(raw);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const alert = await waitFor('the ticket', async () => {
      const row = await alertRow(env, t.tenantId, body.alert_id as string);
      return row?.ticketId ? row : null;
    });
    assert.equal(alert.name, 'diskfull', 'NUL and the lone surrogate removed (the name is trimmed)');
    assert.equal(alert.description, 'C: low \u{1F600}', 'a proper surrogate pair is kept');
    const ticket = await t.api.get(`/api/v1/tickets/${alert.ticketId}`);
    assert.match(ticket.body.title, /diskfull/);

    // An id with either cannot be cleaned without naming another alert: refused.
    const t2 = await alertTenant(env, simulator);
    assertRefused(
      await t2.post(JSON.stringify(templateBody({ alert_id: 'ID' })).replace('"ID"', '"al\\u0000x"')),
      'alert_id',
    );
    assertRefused(
      await t2.post(JSON.stringify(templateBody({ device_id: 'ID' })).replace('"ID"', '"de\\ud800v"')),
      'device_id',
    );
    await assertNothingRecorded(t2);
  });

  it('takes a time more than 5 minutes ahead as the receive time, so a later resolve still applies', async () => {
    const t = await alertTenant(env, simulator);
    const before = Date.now();
    const trigger = templateBody({ name: 'From the far future', occurred_at: '9999-12-31T23:59:59Z' });
    const first = await t.post(trigger);
    assert.equal(first.status, 202);
    const levelAlertId = trigger.alert_id as string;
    const alert = await waitFor('the ticket', async () => {
      const row = await alertRow(env, t.tenantId, levelAlertId);
      return row?.ticketId ? row : null;
    });
    assert.ok(
      alert.startedAt && alert.startedAt.getTime() >= before - 1000 && alert.startedAt.getTime() <= Date.now(),
      `started at the receive time, not ${alert.startedAt?.toISOString()}`,
    );
    // Level retries the same body: the same event id, answered as a redelivery.
    assert.equal((await t.post(trigger)).body.eventId, first.body.eventId);

    const resolve = { ...trigger, event: 'alert.resolved', occurred_at: new Date(Date.now() + 1000).toISOString() };
    assert.equal((await t.post(resolve)).status, 202);
    await waitFor(
      'the alert resolved',
      async () => (await alertRow(env, t.tenantId, levelAlertId))?.status === 'resolved',
    );
    // Within the allowed skew a time is kept as sent.
    const soon = new Date(Date.now() + 60_000).toISOString();
    const skewed = templateBody({ name: 'Slightly ahead', occurred_at: soon });
    assert.equal((await t.post(skewed)).status, 202);
    const kept = await waitFor('the second alert', () => alertRow(env, t.tenantId, skewed.alert_id as string));
    assert.equal(kept.startedAt?.toISOString(), soon);
  });
});
