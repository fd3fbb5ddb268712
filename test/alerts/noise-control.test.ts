// Noise control against the real services and the simulator: flap dampening (a rule's
// holdMinutes) and the reopen window (reopenWithinMinutes), and their validation.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { alertWorkflowId } from '../../contracts/alerts';
import { ALERT_STATUS_ATTRIBUTE } from '../../contracts/search-attributes';
import { holdEnd } from '../../domain/alert-routing';
import { registry } from '../../metrics/registry';
import { workflowBundle } from '../../worker/create-worker';
import { settledAfterSignals } from '../support/history';
import { getTestEnv, type TestEnv } from '../support/test-env';
import type { LevelSimulator } from '../../level/simulator';
import { alertRow, alertTenant, startAlertSimulator, templateBody, ticketsOf, waitFor, type AlertTenant } from './fixture';

const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe('Alert noise control', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
  });

  after(async () => {
    await simulator.close();
  });

  /** Replaces the tenant's catch-all rule's actions (it opens tickets and auto-resolves them by default). */
  async function catchAllActions(t: AlertTenant, actions: Record<string, unknown>) {
    const rule = (await t.api.get('/api/v1/alert-rules')).body.items[0];
    const updated = await t.api.put(`/api/v1/alert-rules/${rule.id}`, { name: rule.name, enabled: true, conditions: {}, actions: { createTicket: true, autoResolveTicket: true, ...actions } });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    return updated.body;
  }

  const currentDetails = async (handle: WorkflowHandle) => (await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata')).currentDetails;

  /** Replays the run's history; RECORD_HISTORIES=1 (or naming the fixture) saves it for test/replay. */
  async function replayAndRecord(handle: WorkflowHandle, fixture: string) {
    const history = await handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, handle.workflowId);
    const wanted = process.env.RECORD_HISTORIES ?? '';
    if (wanted === '1' || wanted.split(',').includes(fixture)) writeFileSync(join(__dirname, '..', 'fixtures', 'histories', `${fixture}.json`), JSON.stringify(history));
  }

  function dampenedCount(): Promise<number> {
    const counter = registry.getSingleMetric('levelsync_alert_routings_total');
    assert.ok(counter, 'the routings counter is registered');
    return Promise.resolve(counter.get()).then((metric) => metric.values.find((value) => value.labels.outcome === 'dampened')?.value ?? 0);
  }

  describe('flap dampening (holdMinutes)', () => {
    it('holds from the alert\'s start at Level, never longer than the rule says, and not at all once it has passed', () => {
      const now = new Date('2026-12-05T12:00:00Z');
      assert.equal(holdEnd(undefined, null, now), null);
      assert.equal(holdEnd(0, null, now), null);
      assert.equal(holdEnd(5, null, now)?.toISOString(), '2026-12-05T12:05:00.000Z', 'no start known: from now');
      assert.equal(holdEnd(5, '2026-12-05T11:58:00Z', now)?.toISOString(), '2026-12-05T12:03:00.000Z');
      assert.equal(holdEnd(5, '2026-12-05T11:55:00Z', now), null, 'active for the whole hold already');
      assert.equal(holdEnd(5, '2026-12-05T12:30:00Z', now)?.toISOString(), '2026-12-05T12:05:00.000Z', 'a start ahead of the clock counts from now');
      assert.equal(holdEnd(5, 'not a time', now)?.toISOString(), '2026-12-05T12:05:00.000Z');
    });

    it('keeps a rule\'s holdMinutes and refuses values outside 0–60 with the fields named', async () => {
      const t = await alertTenant(env, simulator);
      const rule = await catchAllActions(t, { holdMinutes: 5, reopenWithinMinutes: 10_080 });
      assert.equal(rule.actions.holdMinutes, 5);
      assert.equal(rule.actions.reopenWithinMinutes, 10_080);
      assert.equal((await t.api.get(`/api/v1/alert-rules/${rule.id}`)).body.actions.holdMinutes, 5);
      for (const [actions, field] of [
        [{ holdMinutes: 61 }, 'actions.holdMinutes'],
        [{ holdMinutes: -1 }, 'actions.holdMinutes'],
        [{ holdMinutes: 1.5 }, 'actions.holdMinutes'],
        [{ reopenWithinMinutes: 10_081 }, 'actions.reopenWithinMinutes'],
        [{ reopenWithinMinutes: '5' }, 'actions.reopenWithinMinutes'],
      ] as const) {
        const refused = await t.api.post('/api/v1/alert-rules', { name: 'Noisy', actions: { createTicket: true, ...actions } });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.equal(refused.body.error.code, 'invalid_request');
        assert.deepEqual(refused.body.error.details.fields.map((f: { field: string }) => f.field), [field]);
      }
      assert.equal((await t.api.get('/api/v1/alert-rules')).body.items.length, 1, 'nothing stored');
      // 0, the default, is stored as absent like every other unset option.
      const zero = await catchAllActions(t, { holdMinutes: 0 });
      assert.equal(zero.actions.holdMinutes, undefined);
    });

    it('a flap (resolved within the hold) opens no ticket and ends dampened', async () => {
      const t = await alertTenant(env, simulator);
      await catchAllActions(t, { holdMinutes: 5 });
      const dampenedBefore = await dampenedCount();
      const body = templateBody({ name: 'Ping loss', occurred_at: at(-2_000) });
      assert.equal((await t.post(body)).status, 202);
      const handle = env.temporalClient.workflow.getHandle(alertWorkflowId(t.tenantId, body.alert_id as string));
      await waitFor('the hold shown', async () => /^Held by its rule until /.test(await currentDetails(handle).catch(() => '')));
      const held = await alertRow(env, t.tenantId, body.alert_id as string);
      assert.equal(held?.status, 'active');
      assert.equal(held?.ticketId, null);
      assert.ok(held?.matchedRuleId, 'the rule that holds it is recorded');

      assert.equal((await t.post({ ...body, event: 'alert.resolved', occurred_at: at(0) })).status, 202);
      const dampened = await waitFor('the alert dampened', async () => {
        const row = await alertRow(env, t.tenantId, body.alert_id as string);
        return row?.status === 'dampened' ? row : null;
      });
      assert.equal(dampened.ticketId, null);
      assert.ok(dampened.resolvedAt);
      await settledAfterSignals(env.temporalClient, handle.workflowId, 2);
      assert.equal(await currentDetails(handle), 'Dampened: resolved within its rule\'s hold, no ticket');
      assert.equal((await handle.describe()).typedSearchAttributes.get(ALERT_STATUS_ATTRIBUTE), 'dampened');
      assert.equal((await ticketsOf(env, t.tenantId)).length, 0);
      assert.equal(await dampenedCount(), dampenedBefore + 1, 'counted as dampened');
      const listed = await t.api.get('/api/v1/alerts?status=dampened');
      assert.deepEqual(listed.body.items.map((a: { levelAlertId: string }) => a.levelAlertId), [body.alert_id]);
      await replayAndRecord(handle, 'alertLifecycle-dampened');
    });

    it('an alert still active when the hold ends gets exactly one ticket', async () => {
      const t = await alertTenant(env, simulator);
      await catchAllActions(t, { holdMinutes: 1 });
      // The hold counts from the alert's start at Level: one that started 57 s ago is held about 3 s more.
      const body = templateBody({ name: 'CPU high', occurred_at: at(-57_000) });
      assert.equal((await t.post(body)).status, 202);
      const handle = env.temporalClient.workflow.getHandle(alertWorkflowId(t.tenantId, body.alert_id as string));
      await waitFor('the hold shown', async () => /^Held by its rule until /.test(await currentDetails(handle).catch(() => '')));
      assert.equal((await ticketsOf(env, t.tenantId)).length, 0, 'no ticket during the hold');

      const ticketed = await waitFor('the ticket after the hold', async () => {
        const row = await alertRow(env, t.tenantId, body.alert_id as string);
        return row?.ticketId ? row : null;
      }, 20_000);
      assert.equal(ticketed.status, 'active');
      await waitFor('the ticket shown', async () => /^Ticket opened \(ticket /.test(await currentDetails(handle)));
      const tickets = await ticketsOf(env, t.tenantId);
      assert.equal(tickets.length, 1);
      assert.equal(tickets[0]!.occurrences, 1);
      assert.equal(tickets[0]!.id, ticketed.ticketId);
      await replayAndRecord(handle, 'alertLifecycle-held');
    });

    it('does not hold an alert that has been active longer than the hold already', async () => {
      const t = await alertTenant(env, simulator);
      await catchAllActions(t, { holdMinutes: 1 });
      const body = templateBody({ name: 'Service stopped', occurred_at: at(-5 * 60_000) });
      assert.equal((await t.post(body)).status, 202);
      const row = await waitFor('the ticket', async () => {
        const alert = await alertRow(env, t.tenantId, body.alert_id as string);
        return alert?.ticketId ? alert : null;
      });
      assert.equal(row.status, 'active');
    });
  });
});
