// Noise control against the real services and the simulator: flap dampening (a rule's
// holdMinutes) and the reopen window (reopenWithinMinutes), and their validation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { alertWorkflowId } from '../../contracts/alerts';
import { ALERT_STATUS_ATTRIBUTE } from '../../contracts/search-attributes';
import { TicketSchema } from '../../db/entities';
import {
  closeTicket,
  conditionKeyFor,
  listNotes,
  openOrAppendTicket,
  type OpenTicketInput,
} from '../../db/ticket-store';
import { holdEnd, reopenNote } from '../../domain/alert-routing';
import { registry } from '../../metrics/registry';
import { currentDetails, settledAfterSignals } from '../support/history';
import { replayAndRecord } from '../support/replay-fixtures';
import type { TestEnv } from '../support/test-env';
import type { LevelSimulator } from '../../simulator';
import { alertRow, alertTenant, templateBody, ticketsOf, waitFor, type AlertTenant, withAlertStack } from './fixture';

const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe('Alert noise control', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  /** Replaces the tenant's catch-all rule's actions (it opens tickets and auto-resolves them by default). */
  async function catchAllActions(t: AlertTenant, actions: Record<string, unknown>) {
    const rule = (await t.api.get('/api/v1/alert-rules')).body.items[0];
    const updated = await t.api.put(`/api/v1/alert-rules/${rule.id}`, {
      name: rule.name,
      enabled: true,
      conditions: {},
      actions: { createTicket: true, autoResolveTicket: true, ...actions },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    return updated.body;
  }

  function dampenedCount(): Promise<number> {
    const counter = registry.getSingleMetric('levelsync_alert_routings_total');
    assert.ok(counter, 'the routings counter is registered');
    return Promise.resolve(counter.get()).then(
      (metric) => metric.values.find((value) => value.labels.outcome === 'dampened')?.value ?? 0,
    );
  }

  describe('flap dampening (holdMinutes)', () => {
    it("holds from the alert's start at Level, never longer than the rule says, and not at all once it has passed", () => {
      const now = new Date('2026-12-05T12:00:00Z');
      assert.equal(holdEnd(undefined, null, now), null);
      assert.equal(holdEnd(0, null, now), null);
      assert.equal(holdEnd(5, null, now)?.toISOString(), '2026-12-05T12:05:00.000Z', 'no start known: from now');
      assert.equal(holdEnd(5, '2026-12-05T11:58:00Z', now)?.toISOString(), '2026-12-05T12:03:00.000Z');
      assert.equal(holdEnd(5, '2026-12-05T11:55:00Z', now), null, 'active for the whole hold already');
      assert.equal(
        holdEnd(5, '2026-12-05T12:30:00Z', now)?.toISOString(),
        '2026-12-05T12:05:00.000Z',
        'a start ahead of the clock counts from now',
      );
      assert.equal(holdEnd(5, 'not a time', now)?.toISOString(), '2026-12-05T12:05:00.000Z');
    });

    it("keeps a rule's holdMinutes and refuses values outside 0–60 with the fields named", async () => {
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
        const refused = await t.api.post('/api/v1/alert-rules', {
          name: 'Noisy',
          actions: { createTicket: true, ...actions },
        });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.equal(refused.body.error.code, 'invalid_request');
        assert.deepEqual(
          refused.body.error.details.fields.map((f: { field: string }) => f.field),
          [field],
        );
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
      await waitFor('the hold shown', async () =>
        /^Held by its rule until /.test(await currentDetails(handle).catch(() => '')),
      );
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
      assert.equal(await currentDetails(handle), "Dampened: resolved within its rule's hold, no ticket");
      assert.equal((await handle.describe()).typedSearchAttributes.get(ALERT_STATUS_ATTRIBUTE), 'dampened');
      assert.equal((await ticketsOf(env, t.tenantId)).length, 0);
      assert.equal(await dampenedCount(), dampenedBefore + 1, 'counted as dampened');
      const listed = await t.api.get('/api/v1/alerts?status=dampened');
      assert.deepEqual(
        listed.body.items.map((a: { levelAlertId: string }) => a.levelAlertId),
        [body.alert_id],
      );
      await replayAndRecord(handle, 'alertLifecycle-dampened');
    });

    it('an alert still active when the hold ends gets exactly one ticket', async () => {
      const t = await alertTenant(env, simulator);
      await catchAllActions(t, { holdMinutes: 1 });
      // The hold counts from the alert's start at Level: one that started 50 s ago is held about 10 s
      // more, long enough to be seen held even when delivery and routing are slow.
      const body = templateBody({ name: 'CPU high', occurred_at: at(-50_000) });
      assert.equal((await t.post(body)).status, 202);
      const handle = env.temporalClient.workflow.getHandle(alertWorkflowId(t.tenantId, body.alert_id as string));
      await waitFor('the hold shown', async () =>
        /^Held by its rule until /.test(await currentDetails(handle).catch(() => '')),
      );
      assert.equal((await ticketsOf(env, t.tenantId)).length, 0, 'no ticket during the hold');

      const ticketed = await waitFor(
        'the ticket after the hold',
        async () => {
          const row = await alertRow(env, t.tenantId, body.alert_id as string);
          return row?.ticketId ? row : null;
        },
        20_000,
      );
      assert.equal(ticketed.status, 'active');
      await waitFor('the ticket shown', async () => /^Opened ticket #\d+ for /.test(await currentDetails(handle)));
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

  describe('reopen window (reopenWithinMinutes)', () => {
    /** Triggers an alert of the default condition (ACME's device, "Disk space low") and waits for its ticket. */
    async function ticketOf(t: AlertTenant, occurredAt = at(-1_000)) {
      const body = templateBody({ occurred_at: occurredAt });
      assert.equal((await t.post(body)).status, 202);
      const row = await waitFor('the alert ticketed', async () => {
        const alert = await alertRow(env, t.tenantId, body.alert_id as string);
        return alert?.ticketId ? alert : null;
      });
      return { body, ticketId: row.ticketId! };
    }

    async function resolvedAndClosed(t: AlertTenant, body: Record<string, unknown>, ticketId: string) {
      assert.equal((await t.post({ ...body, event: 'alert.resolved', occurred_at: at(0) })).status, 202);
      await waitFor(
        'the ticket closed automatically',
        async () => (await t.api.get(`/api/v1/tickets/${ticketId}`)).body.status === 'closed',
      );
    }

    it('reopens the ticket its condition closed within the window, with a note, instead of opening another', async () => {
      const t = await alertTenant(env, simulator);
      await catchAllActions(t, { reopenWithinMinutes: 60 });
      const first = await ticketOf(t);
      await resolvedAndClosed(t, first.body, first.ticketId);

      // Another Level alert of the same device and condition recurs.
      const again = await ticketOf(t, at(0));
      assert.equal(again.ticketId, first.ticketId, 'the same ticket');
      const ticket = (await t.api.get(`/api/v1/tickets/${first.ticketId}`)).body;
      assert.equal(ticket.status, 'open');
      assert.equal(ticket.closedAt, null);
      assert.equal(ticket.occurrences, 2);
      const [firstAlert, againAlert] = await Promise.all([
        alertRow(env, t.tenantId, first.body.alert_id as string),
        alertRow(env, t.tenantId, again.body.alert_id as string),
      ]);
      assert.deepEqual(ticket.alertIds, [firstAlert!.id, againAlert!.id]);
      const reopenNotes = ticket.notes.filter((n: { body: string }) => /^Recurred at .* — reopened\.$/.test(n.body));
      assert.equal(reopenNotes.length, 1, JSON.stringify(ticket.notes));
      assert.equal(reopenNotes[0].author, 'system');
      assert.equal((await ticketsOf(env, t.tenantId)).length, 1);
      const handle = env.temporalClient.workflow.getHandle(alertWorkflowId(t.tenantId, again.body.alert_id as string));
      const reopenedNumber = (await ticketsOf(env, t.tenantId))[0]!.number;
      await waitFor(
        'the reopen shown',
        async () =>
          /^Reopened the recently closed ticket #(\d+) for /.exec(await currentDetails(handle))?.[1] ===
          String(reopenedNumber),
      );

      // The reopened ticket is the alert's ticket: its resolve closes it again (untouched).
      await resolvedAndClosed(t, again.body, first.ticketId);
    });

    it('reopens a ticket a person closed with a note, and says that it recurred after', async () => {
      const t = await alertTenant(env, simulator);
      await catchAllActions(t, { reopenWithinMinutes: 30 });
      const first = await ticketOf(t);
      const closed = await t.api.patch(`/api/v1/tickets/${first.ticketId}`, {
        status: 'closed',
        note: 'Cleared the temp folder',
      });
      assert.equal(closed.status, 200);

      const again = await ticketOf(t, at(0));
      assert.equal(again.ticketId, first.ticketId);
      const ticket = (await t.api.get(`/api/v1/tickets/${first.ticketId}`)).body;
      assert.equal(ticket.status, 'open');
      assert.equal(ticket.occurrences, 2);
      const notes = ticket.notes as Array<{ author: string; body: string }>;
      const personal = notes.findIndex((n) => n.author === 'human' && n.body === 'Cleared the temp folder');
      const recurred = notes.findIndex((n) => n.author === 'system' && n.body.startsWith('Recurred at'));
      assert.ok(personal >= 0 && recurred > personal, JSON.stringify(notes));
      assert.match(
        notes[recurred]!.body,
        /^Recurred at .* — reopened\. A person had closed the ticket; the alert recurred after that\.$/,
      );
    });

    it('opens a new ticket when the last one closed before the window', async () => {
      const t = await alertTenant(env, simulator);
      await catchAllActions(t, { reopenWithinMinutes: 60 });
      const first = await ticketOf(t);
      await resolvedAndClosed(t, first.body, first.ticketId);
      // It closed two hours ago, as far as anyone can tell.
      await env
        .em()
        .nativeUpdate(TicketSchema, { id: first.ticketId }, { closedAt: new Date(Date.now() - 2 * 60 * 60_000) });

      const again = await ticketOf(t, at(0));
      assert.notEqual(again.ticketId, first.ticketId, 'a new ticket');
      assert.equal((await t.api.get(`/api/v1/tickets/${first.ticketId}`)).body.status, 'closed');
      assert.equal((await ticketsOf(env, t.tenantId)).length, 2);
    });

    it('opens a new ticket after a close when the rule has no reopen window (the default)', async () => {
      const t = await alertTenant(env, simulator);
      const first = await ticketOf(t);
      await resolvedAndClosed(t, first.body, first.ticketId);
      const again = await ticketOf(t, at(0));
      assert.notEqual(again.ticketId, first.ticketId);
    });

    it('is race-safe: concurrent recurrences, with and without a window, leave one open ticket with every occurrence', async () => {
      const { tenantId } = await env.createTenant();
      const conditionKey = conditionKeyFor('dev-race', 'Disk space low');
      const input = (reopen: boolean): OpenTicketInput => {
        const recurredAt = new Date();
        return {
          tenantId,
          levelDeviceId: 'dev-race',
          conditionKey,
          alertId: randomUUID(),
          title: 'Disk space low',
          description: 'C: 2% free',
          priority: 'high',
          ...(reopen
            ? {
                reopen: {
                  withinMinutes: 60,
                  recurredAt,
                  note: (byPerson: boolean) => reopenNote(recurredAt, byPerson),
                },
              }
            : {}),
        };
      };
      const allReopen = [true, true, true, true, true, true];
      const mixed = [true, false, true, false, true, false];
      // A few rounds of each: the races are the point.
      for (const mix of [allReopen, mixed, allReopen, mixed, allReopen, mixed]) {
        const { ticket } = await openOrAppendTicket(env.em(), input(false));
        await closeTicket(env.em(), ticket.id, 'closed for the test');
        const results = await Promise.all(mix.map((reopen) => openOrAppendTicket(env.em(), input(reopen))));
        const open = await env.em().find(TicketSchema, { tenantId, conditionKey, status: { $ne: 'closed' } });
        assert.equal(open.length, 1, 'one open ticket for the condition');
        assert.deepEqual(
          new Set(results.map((r) => r.ticket.id)),
          new Set([open[0]!.id]),
          'every recurrence landed on it',
        );
        assert.ok(results.filter((r) => r.reopened).length <= 1, 'reopened at most once');
        const reopened = open[0]!.id === ticket.id;
        assert.equal(open[0]!.occurrences, reopened ? 1 + mix.length : mix.length, 'every occurrence counted once');
        assert.equal(
          (await listNotes(env.em(), open[0]!.id)).filter((n) => n.body.startsWith('Recurred at')).length,
          reopened ? 1 : 0,
        );
        if (mix.every(Boolean)) assert.ok(reopened, 'with a window everywhere, the closed ticket is reopened');
        await closeTicket(env.em(), open[0]!.id, 'closed for the next round');
        // The next round's reopen must find this one, the most recently closed.
      }
    });
  });
});
