// Temporal unreachable while webhooks arrive: the receiver answers 202 from the PostgreSQL inbox,
// and once Temporal is back the relay delivers every event, none twice.
import assert from 'node:assert/strict';
import { createApp } from '../../api/app';
import type { LevelSimulator } from '../../simulator';
import { alertEventDelivery, alertWorkflowId } from '../../contracts/alerts';
import { ORPHANED_SENDING_MS } from '../../db/inbox-claim';
import { storeInInbox } from '../../db/inbox-store';
import { drainInbox } from '../../runtime/inbox-relay';
import { parseWebhook } from '../../api/webhook/parse';
import { SETTLE_RETRY_PAUSES_MS, TEMPORAL_DELIVERY_TIMEOUT_MS } from '../../api/webhook/receiver';
import { startInboxRelay } from '../../runtime/inbox-relay';
import { TemporalGateway } from '../../temporal/connection';
import { settledAfterSignals } from '../support/history';
import { call, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { alertRow, alertTenant, BASE, inboxOf, startAlertSimulator, templateBody, ticketsOf, waitFor } from './fixture';

describe('Alert webhook inbox', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let dead: ServedApp;
  const deadGateway = new TemporalGateway('127.0.0.1:1', 'default');
  let resumeRelay: () => void;

  before(async () => {
    env = await getTestEnv();
    // This suite runs its own relays, to see the inbox before and after they act.
    resumeRelay = await env.pauseRelay();
    simulator = await startAlertSimulator();
    // The same service, but its Temporal is down: every delivery must fall back to the inbox.
    dead = await serveApp(
      createApp({ ...env.services, temporal: deadGateway, logger: env.logger, config: env.config }),
    );
  });

  after(async () => {
    await dead.close();
    await deadGateway.close();
    await simulator.close();
    resumeRelay();
  });

  it('answers 202 from the inbox and relays every event exactly once when Temporal is back', async () => {
    const t = await alertTenant(env, simulator);
    const post = (body: unknown) =>
      call(dead.url, 'POST', `/webhooks/level/${t.webhookId}`, {
        rawBody: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
      });
    const bodies = Array.from({ length: 5 }, (_, i) => templateBody({ name: `Inbox alert ${i}` }));
    const resolvedLater = {
      ...bodies[0]!,
      event: 'alert.resolved',
      occurred_at: new Date(Date.now() + 1000).toISOString(),
    };
    const answers = [];
    for (const body of [...bodies, bodies[1]!, resolvedLater]) answers.push(await post(body));
    for (const answer of answers) {
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
      assert.equal(answer.body.accepted, true);
    }
    // Wrong secrets are still refused while Temporal is down.
    assert.equal(
      (
        await call(dead.url, 'POST', `/webhooks/level/${t.webhookId}`, {
          rawBody: JSON.stringify(bodies[0]),
          headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': 'nope' },
        })
      ).status,
      401,
    );

    const stored = await inboxOf(env, t.tenantId);
    assert.equal(stored.length, 6, 'five triggers and one resolve; the redelivery is stored once');
    assert.ok(stored.every((row) => row.status === 'pending'));
    assert.ok(!JSON.stringify(stored).includes(t.secret), 'no secret in the inbox');
    assert.equal((await t.alerts()).length, 0, 'nothing processed yet');

    // Temporal answers the live receiver, but this alert's trigger still waits in the inbox: its
    // resolve must queue behind it, or the run would see the resolve first and never ticket it.
    const resolveOfQueued = {
      ...bodies[3]!,
      event: 'alert.resolved',
      occurred_at: new Date(Date.now() + 2000).toISOString(),
    };
    assert.equal((await t.post(resolveOfQueued)).status, 202);
    assert.equal((await inboxOf(env, t.tenantId)).length, 7, 'the resolve queued behind its trigger');

    // A relay pointed at the dead Temporal keeps everything.
    const deadRelay = startInboxRelay({
      orm: env.orm,
      temporal: deadGateway,
      taskQueue: env.config.taskQueue,
      logger: env.logger,
      intervalMs: 60_000,
    });
    await deadRelay.drainNow().catch(() => undefined);
    await deadRelay.stop();
    assert.ok((await inboxOf(env, t.tenantId)).every((row) => row.status === 'pending'));

    // Temporal is back: the relay of the real gateway drains the inbox.
    const relay = startInboxRelay({
      orm: env.orm,
      temporal: env.services.temporal,
      taskQueue: env.config.taskQueue,
      logger: env.logger,
      intervalMs: 200,
    });
    try {
      await waitFor('the inbox to drain', async () =>
        (await inboxOf(env, t.tenantId)).every((row) => row.status === 'delivered'),
      );
      for (const body of bodies.slice(1)) {
        await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, body.alert_id as string))?.ticketId);
      }
      await waitFor(
        'the relayed resolve',
        async () => (await alertRow(env, t.tenantId, bodies[0]!.alert_id as string))?.status === 'resolved',
      );
      await waitFor(
        'the queued resolve',
        async () => (await alertRow(env, t.tenantId, bodies[3]!.alert_id as string))?.status === 'resolved',
      );
      // A second pass and a late redelivery through the live receiver change nothing.
      assert.equal((await relay.drainNow()).delivered, 0);
      assert.equal((await t.post(bodies[2]!)).status, 202);
      // Whatever reached the run is applied before the counts below are read.
      await settledAfterSignals(env.temporalClient, alertWorkflowId(t.tenantId, bodies[2]!.alert_id as string));
    } finally {
      await relay.stop();
    }
    assert.equal((await t.alerts()).length, 5);
    const tickets = await ticketsOf(env, t.tenantId);
    assert.equal(tickets.length, 5, 'one ticket per alert');
    assert.ok(
      tickets.every((ticket) => ticket.occurrences === 1),
      'no event was processed twice',
    );
    assert.equal(tickets.find((ticket) => ticket.title.includes('Inbox alert 0'))?.status, 'closed');
    assert.equal(
      tickets.find((ticket) => ticket.title.includes('Inbox alert 3'))?.status,
      'closed',
      'ticketed, then auto-resolved, in order',
    );
  });

  it("never sends a run's event ahead of an earlier one that another relay holds", async () => {
    const t = await alertTenant(env, simulator);
    const integrationId = (await t.api.get(BASE)).body.id as string;
    const trigger = templateBody({ name: 'Held alert' });
    const resolve = { ...trigger, event: 'alert.resolved', occurred_at: new Date(Date.now() + 1000).toISOString() };
    for (const body of [trigger, resolve]) {
      const parsed = parseWebhook(body, new Date());
      assert.equal(parsed.kind, 'event');
      if (parsed.kind === 'event')
        await storeInInbox(env.em(), alertEventDelivery(t.tenantId, integrationId, parsed.event), 'stored by the test');
      await new Promise((resolve) => setTimeout(resolve, 10)); // distinct creation times
    }
    const [first, second] = (await inboxOf(env, t.tenantId)).sort(
      (a, b) => a.createdAt.getTime() - b.createdAt.getTime(),
    );

    // Another relay holds the trigger's row (its transaction is open, its send under way).
    const other = env.orm.em.fork();
    await other.begin();
    try {
      await other.execute(`select "id" from "webhook_inbox" where "id" = ? for update`, [first!.id]);
      const client = await env.services.temporal.getClient();
      const pass = await drainInbox(env.em(), client, env.config.taskQueue);
      assert.equal(pass.delivered, 0, 'the resolve did not overtake its held trigger');
      assert.equal((await inboxOf(env, t.tenantId)).find((row) => row.id === second!.id)?.status, 'pending');
    } finally {
      await other.rollback();
    }

    // Released: both go, in order: a ticket is opened, then closed by the resolve.
    assert.equal(
      (await drainInbox(env.em(), await env.services.temporal.getClient(), env.config.taskQueue)).delivered,
      2,
    );
    await waitFor(
      'the alert resolved',
      async () => (await alertRow(env, t.tenantId, trigger.alert_id as string))?.status === 'resolved',
    );
    const tickets = await ticketsOf(env, t.tenantId);
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.status, 'closed');
  });

  it('takes over a `sending` row its receiver left (the API died mid-call) after 45 s, and not before', async () => {
    const t = await alertTenant(env, simulator);
    const integrationId = (await t.api.get(BASE)).body.id as string;
    const [orphaned, inFlight] = ['Left by a killed API', 'Still being sent'].map((name) => templateBody({ name }));
    for (const body of [orphaned!, inFlight!]) {
      const parsed = parseWebhook(body, new Date());
      assert.equal(parsed.kind, 'event');
      if (parsed.kind === 'event')
        await storeInInbox(env.em(), alertEventDelivery(t.tenantId, integrationId, parsed.event), 'test', 'sending');
    }
    const rowOf = async (body: Record<string, unknown>) =>
      (await inboxOf(env, t.tenantId)).find(
        (row) => row.workflowId === alertWorkflowId(t.tenantId, body.alert_id as string),
      )!;
    const orphanedRow = await rowOf(orphaned!);
    await env
      .em()
      .execute(`update "webhook_inbox" set "created_at" = now() - interval '46 seconds' where "id" = ?`, [
        orphanedRow.id,
      ]);

    // One pass (other suites' rows may go in it too): only this tenant's older row was taken over.
    await drainInbox(env.em(), await env.services.temporal.getClient(), env.config.taskQueue);
    assert.equal((await rowOf(orphaned!)).status, 'delivered', 'the row older than the takeover');
    assert.equal((await rowOf(inFlight!)).status, 'sending', 'a live receiver may still be sending this one');
    await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, orphaned!.alert_id as string))?.ticketId);
  });

  it('lets a live receiver finish with its row (call timeouts and settle retries) before the relay may take it over', () => {
    // Connecting and signalling each have the timeout; the settle attempts themselves get the margin.
    const receiverDoneMs =
      2 * TEMPORAL_DELIVERY_TIMEOUT_MS + SETTLE_RETRY_PAUSES_MS.reduce((sum, pause) => sum + pause, 0);
    const marginMs = 10_000;
    assert.ok(
      receiverDoneMs + marginMs <= ORPHANED_SENDING_MS,
      `${receiverDoneMs} ms + ${marginMs} ms, takeover at ${ORPHANED_SENDING_MS} ms`,
    );
  });
});
