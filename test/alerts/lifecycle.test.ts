// The alert lifecycle: duplicates and backfill, out-of-order events, re-opens, maintenance
// windows with a durable timer, auto-resolve, and resolving in Level when a person closes the ticket.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { alertEventDelivery, alertWorkflowId, backfillWorkflowId } from '../../contracts/alerts';
import { deliverSignal } from '../../temporal/signal-delivery';
import { parseJsonBody, parseWebhook } from '../../api/webhook/parse';
import { LevelIntegrationSchema, TicketNoteSchema } from '../../db/entities';
import type { LevelSimulator } from '../../simulator';
import { settledAfterSignals } from '../support/history';
import type { TestEnv } from '../support/test-env';
import {
  ACME_DEVICE,
  BASE,
  alertRow,
  alertTenant,
  templateBody,
  storyNotesOf,
  ticketsOf,
  waitFor,
  type AlertTenant,
  withAlertStack,
} from './fixture';

const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const { EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: SIGNALED, EVENT_TYPE_WORKFLOW_TASK_COMPLETED: TASK_COMPLETED } =
  temporal.api.enums.v1.EventType;

describe('Alert lifecycle', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  const ticketed = (t: AlertTenant, levelAlertId: string) =>
    waitFor('the alert to be ticketed', async () => {
      const row = await alertRow(env, t.tenantId, levelAlertId);
      return row?.ticketId ? row : null;
    });

  async function defaultRule(t: AlertTenant, actions: Record<string, unknown>) {
    const rules = await t.api.get('/api/v1/alert-rules');
    const rule = rules.body.items[0];
    const updated = await t.api.put(`/api/v1/alert-rules/${rule.id}`, {
      name: rule.name,
      enabled: true,
      conditions: {},
      actions: { createTicket: true, ...actions },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
  }

  it('makes one alert and one ticket of three deliveries plus a backfill', async () => {
    const t = await alertTenant(env, simulator);
    const levelAlert = simulator.fleet.addAlert({
      deviceId: ACME_DEVICE,
      name: `Disk low ${randomUUID().slice(0, 6)}`,
      severity: 'critical',
      startedAt: at(-60_000),
    });
    const body = templateBody({ alert_id: levelAlert.id, name: levelAlert.name, occurred_at: levelAlert.started_at });
    const answers = await Promise.all([t.post(body), t.post(body), t.post(body)]);
    assert.deepEqual(
      answers.map((a) => a.status),
      [202, 202, 202],
    );
    assert.equal(new Set(answers.map((a) => a.body.eventId)).size, 1, 'redeliveries share the event id');
    await ticketed(t, levelAlert.id);

    const backfill = await t.api.post(`${BASE}/backfill-alerts?wait=true`);
    assert.equal(backfill.status, 200, JSON.stringify(backfill.body));
    assert.equal(backfill.body.workflowId, backfillWorkflowId(t.tenantId));
    assert.equal(backfill.body.status, 'completed');
    assert.ok(backfill.body.result.fetched >= 1);
    assert.equal(backfill.body.result.new, 0, 'the webhook already delivered it');

    // The backfill's signals are in the run's history once it completed: wait until they are applied.
    await settledAfterSignals(env.temporalClient, alertWorkflowId(t.tenantId, levelAlert.id));
    const alerts = (await t.alerts()).filter((a) => a.levelAlertId === levelAlert.id);
    assert.equal(alerts.length, 1);
    const tickets = await ticketsOf(env, t.tenantId);
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.occurrences, 1);
  });

  it('answers a redelivery without a second signal, and a run still discards one that reaches it', async () => {
    const t = await alertTenant(env, simulator);
    const levelAlertId = `al/${randomUUID()}`;
    const body = templateBody({ alert_id: levelAlertId, name: `Redelivered ${randomUUID().slice(0, 6)}` });
    const first = await t.post(body);
    const again = await t.post(body);
    assert.deepEqual([first.status, again.status], [202, 202]);
    assert.equal(again.body.eventId, first.body.eventId);
    await ticketed(t, levelAlertId);
    const workflowId = alertWorkflowId(t.tenantId, levelAlertId);
    const eventTypes = async () =>
      ((await env.temporalClient.workflow.getHandle(workflowId).fetchHistory()).events ?? []).map((e) => e.eventType);
    assert.equal(
      (await eventTypes()).filter((type) => type === SIGNALED).length,
      1,
      'the redelivery was answered without signalling the run',
    );

    // Another API process would not remember it: the same event then reaches the run, which drops it.
    const parsed = parseWebhook(parseJsonBody(Buffer.from(JSON.stringify(body))), new Date());
    assert.equal(parsed.kind, 'event');
    if (parsed.kind !== 'event') return;
    const integrationId = (await env.em().findOneOrFail(LevelIntegrationSchema, { tenantId: t.tenantId })).id;
    await deliverSignal(
      env.temporalClient,
      env.config.taskQueue,
      alertEventDelivery(t.tenantId, integrationId, parsed.event),
    );
    await waitFor('a workflow task completed after the second signal', async () => {
      const types = await eventTypes();
      const signals = types.flatMap((type, i) => (type === SIGNALED ? [i] : []));
      return signals.length === 2 && types.slice(signals[1]).includes(TASK_COMPLETED);
    });
    const tickets = await ticketsOf(env, t.tenantId);
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.occurrences, 1);
    assert.equal((await storyNotesOf(env, tickets[0]!.id)).length, 0);
  });

  it('backfills alerts the webhook missed, once, with counts', async () => {
    const t = await alertTenant(env, simulator);
    const missed = simulator.fleet.addAlert({
      deviceId: ACME_DEVICE,
      name: `Missed ${randomUUID().slice(0, 6)}`,
      severity: 'warning',
    });
    const first = await t.api.post(`${BASE}/backfill-alerts?wait=true`);
    assert.equal(first.body.status, 'completed');
    assert.ok(first.body.result.new >= 1);
    await ticketed(t, missed.id);
    simulator.fleet.resolveAlert(missed.id);
    const second = await t.api.post(`${BASE}/backfill-alerts?wait=true`);
    assert.equal(second.body.result.new, 0);
    assert.equal(second.body.result.resolved, 1);
    await waitFor('the resolve', async () => (await alertRow(env, t.tenantId, missed.id))?.status === 'resolved');
    const mine = (await ticketsOf(env, t.tenantId)).filter((ticket) => ticket.title.includes(missed.name));
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.status, 'closed', 'the default rule auto-resolves an untouched ticket');
  });

  it('ends resolved when the resolve arrives before its trigger', async () => {
    const t = await alertTenant(env, simulator);
    const body = templateBody({ occurred_at: at(-10_000) });
    assert.equal((await t.post({ ...body, event: 'alert.resolved', occurred_at: at(-5_000) })).status, 202);
    await waitFor('the resolved alert', () => alertRow(env, t.tenantId, body.alert_id as string));
    assert.equal((await t.post(body)).status, 202);
    await settledAfterSignals(env.temporalClient, alertWorkflowId(t.tenantId, body.alert_id as string), 2);
    const alert = await alertRow(env, t.tenantId, body.alert_id as string);
    assert.equal(alert?.status, 'resolved');
    assert.equal(alert?.ticketId, null);
    assert.equal((await ticketsOf(env, t.tenantId)).length, 0);
  });

  it('re-opens: a new ticket after an auto-closed one, an occurrence on a touched open one', async () => {
    const t = await alertTenant(env, simulator);
    // Untouched ticket: auto-closed on resolve, so the re-open opens a new ticket.
    const a = templateBody({ occurred_at: at(-30_000) });
    await t.post(a);
    const first = await ticketed(t, a.alert_id as string);
    await t.post({ ...a, event: 'alert.resolved', occurred_at: at(-20_000) });
    await waitFor(
      'auto-close',
      async () => (await t.api.get(`/api/v1/tickets/${first.ticketId}`)).body.status === 'closed',
    );
    await t.post({ ...a, occurred_at: at(-10_000) });
    const reopened = await waitFor('a new ticket', async () => {
      const row = await alertRow(env, t.tenantId, a.alert_id as string);
      return row && row.status === 'active' && row.ticketId !== first.ticketId ? row : null;
    });
    assert.ok(reopened.ticketId);

    // Touched ticket: a person noted it, so the resolve only adds a note and the re-open appends.
    const b = templateBody({ name: 'Memory high', occurred_at: at(-30_000) });
    await t.post(b);
    const touched = await ticketed(t, b.alert_id as string);
    assert.equal((await t.api.patch(`/api/v1/tickets/${touched.ticketId}`, { note: 'Looking into it' })).status, 200);
    await t.post({ ...b, event: 'alert.resolved', occurred_at: at(-20_000) });
    await waitFor(
      'the resolve note',
      async () => (await alertRow(env, t.tenantId, b.alert_id as string))?.status === 'resolved',
    );
    const afterResolve = await t.api.get(`/api/v1/tickets/${touched.ticketId}`);
    assert.equal(afterResolve.body.status, 'open');
    assert.ok(afterResolve.body.notes.some((n: any) => n.author === 'system' && /resolved in Level/.test(n.body)));
    await t.post({ ...b, occurred_at: at(-10_000) });
    const again = await waitFor('the occurrence', async () => {
      const ticket = await t.api.get(`/api/v1/tickets/${touched.ticketId}`);
      return ticket.body.occurrences === 2 ? ticket.body : null;
    });
    assert.equal(again.status, 'open');
    assert.equal((await alertRow(env, t.tenantId, b.alert_id as string))?.ticketId, touched.ticketId);
    assert.equal((await ticketsOf(env, t.tenantId)).length, 3);
  });

  it('suppresses alerts in a maintenance window and routes those still active at its end', async () => {
    const t = await alertTenant(env, simulator);
    const window = await t.api.post('/api/v1/maintenance-windows', {
      name: 'Patching',
      scope: { clientId: t.clientId },
      startsAt: at(-60_000),
      endsAt: at(4_000),
    });
    assert.equal(window.status, 201, JSON.stringify(window.body));
    const stays = templateBody({ name: 'Reboot pending' });
    const goes = templateBody({ name: 'Service restarting' });
    await Promise.all([t.post(stays), t.post(goes)]);
    for (const body of [stays, goes]) {
      const row = await waitFor('suppression', async () => {
        const alert = await alertRow(env, t.tenantId, body.alert_id as string);
        return alert?.status === 'suppressed' ? alert : null;
      });
      assert.equal(row.suppressedByWindowId, window.body.id);
      assert.equal(row.ticketId, null);
    }
    await t.post({ ...goes, event: 'alert.resolved', occurred_at: at(0) });
    await waitFor(
      'the resolve',
      async () => (await alertRow(env, t.tenantId, goes.alert_id as string))?.status === 'resolved',
    );

    const routed = await waitFor(
      'the ticket after the window',
      async () => {
        const row = await alertRow(env, t.tenantId, stays.alert_id as string);
        return row?.ticketId ? row : null;
      },
      20_000,
    );
    assert.equal(routed.status, 'active');
    const resolved = await alertRow(env, t.tenantId, goes.alert_id as string);
    assert.equal(resolved?.ticketId, null, 'resolved inside the window: never ticketed');
    assert.equal((await ticketsOf(env, t.tenantId)).length, 1);
  });

  it('auto-resolves an untouched ticket and only notes a touched one', async () => {
    const t = await alertTenant(env, simulator);
    const untouched = templateBody({ name: 'Ping loss', occurred_at: at(-5_000) });
    const touched = templateBody({ name: 'Backup failed', occurred_at: at(-5_000) });
    await Promise.all([t.post(untouched), t.post(touched)]);
    const u = await ticketed(t, untouched.alert_id as string);
    const h = await ticketed(t, touched.alert_id as string);
    await t.api.patch(`/api/v1/tickets/${h.ticketId}`, { status: 'in_progress' });
    await Promise.all([
      t.post({ ...untouched, event: 'alert.resolved', occurred_at: at(0) }),
      t.post({ ...touched, event: 'alert.resolved', occurred_at: at(0) }),
    ]);
    await waitFor(
      'both resolved',
      async () =>
        (await alertRow(env, t.tenantId, untouched.alert_id as string))?.status === 'resolved' &&
        (await alertRow(env, t.tenantId, touched.alert_id as string))?.status === 'resolved',
    );
    const closed = await t.api.get(`/api/v1/tickets/${u.ticketId}`);
    assert.equal(closed.body.status, 'closed');
    assert.ok(closed.body.notes.some((n: any) => /closed automatically/.test(n.body)));
    const kept = await t.api.get(`/api/v1/tickets/${h.ticketId}`);
    assert.equal(kept.body.status, 'in_progress');
    assert.ok(kept.body.notes.some((n: any) => /person has worked on it/.test(n.body)));
  });

  it('resolves the alert in Level when a person closes the ticket (and notes a refusal)', async () => {
    const t = await alertTenant(env, simulator);
    await defaultRule(t, { autoResolveTicket: true, resolveAlertOnTicketClose: true });
    const levelAlert = simulator.fleet.addAlert({
      deviceId: ACME_DEVICE,
      name: `Agent offline ${randomUUID().slice(0, 6)}`,
      severity: 'emergency',
    });
    await t.post(templateBody({ alert_id: levelAlert.id, name: levelAlert.name, severity: 'emergency' }));
    const alert = await ticketed(t, levelAlert.id);
    const closed = await t.api.patch(`/api/v1/tickets/${alert.ticketId}`, {
      status: 'closed',
      note: 'Fixed the agent',
    });
    assert.equal(closed.status, 200);
    await waitFor('Level to see the resolve', async () => simulator.stats.resolvedAlertIds.includes(levelAlert.id));
    await waitFor(
      'the alert to be resolved',
      async () => (await alertRow(env, t.tenantId, levelAlert.id))?.status === 'resolved',
    );
    assert.equal(simulator.fleet.alertDocument(levelAlert.id)?.is_resolved, true);

    // An alert Level does not know (404) is noted on the ticket, not fatal.
    const ghost = templateBody({ name: 'Ghost alert' });
    await t.post(ghost);
    const ghostRow = await ticketed(t, ghost.alert_id as string);
    await t.api.patch(`/api/v1/tickets/${ghostRow.ticketId}`, { status: 'closed' });
    await waitFor(
      'the refusal note',
      async () =>
        (await env
          .em()
          .count(TicketNoteSchema, { ticketId: ghostRow.ticketId!, body: { $like: '%Could not resolve%' } })) > 0,
    );
    assert.equal((await alertRow(env, t.tenantId, ghost.alert_id as string))?.status, 'active');
  });

  it('turns the periodic reconcile schedule on and off (off by default)', async () => {
    const t = await alertTenant(env, simulator);
    assert.deepEqual((await t.api.get(`${BASE}/backfill-alerts/schedule`)).body.enabled, false);
    const on = await t.api.put(`${BASE}/backfill-alerts/schedule`, { enabled: true, intervalMinutes: 30 });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    const described = await t.api.get(`${BASE}/backfill-alerts/schedule`);
    assert.equal(described.body.enabled, true);
    assert.equal(described.body.intervalMinutes, 30);
    assert.equal(
      (await t.api.put(`${BASE}/backfill-alerts/schedule`, { enabled: true, intervalMinutes: 45 })).body
        .intervalMinutes,
      45,
    );
    assert.equal((await t.api.put(`${BASE}/backfill-alerts/schedule`, { enabled: false })).status, 200);
    assert.equal((await t.api.get(`${BASE}/backfill-alerts/schedule`)).body.enabled, false);
  });
});
