// Inbox rows that cannot be delivered are parked and never hold up others; an admin redrives a
// parked row; and the relay takes every tenant's rows in turn, so one tenant's backlog delays
// another tenant's new event by at most one batch.
import assert from 'node:assert/strict';
import { ALERT_EVENT_SIGNAL, alertEventDelivery, type SignalDelivery } from '../../contracts/alerts';
import { ALERT_LIFECYCLE_WORKFLOW } from '../../contracts/workflows';
import { storeInInbox } from '../../db/inbox-store';
import { claimFairBatch } from '../../db/inbox-claim';
import { afterFailure, PARK_AFTER_SAME_FAILURES } from '../../domain/inbox-retry';
import { drainInbox } from '../../runtime/inbox-relay';
import { parseWebhook } from '../../api/webhook/parse';
import { LevelIntegrationSchema, WebhookInboxSchema } from '../../db/entities';
import type { LevelSimulator } from '../../simulator';
import { call } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';
import {
  alertRow,
  alertTenant,
  BASE,
  inboxOf,
  startAlertSimulator,
  templateBody,
  waitFor,
  type AlertTenant,
} from './fixture';

describe('Alert webhook inbox: parked rows and fairness', function () {
  this.timeout(90_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let resumeRelay: () => void;

  before(async () => {
    env = await getTestEnv();
    // This suite drives the relay itself, to see the inbox between passes.
    resumeRelay = await env.pauseRelay();
    simulator = await startAlertSimulator();
  });

  after(async () => {
    await simulator.close();
    resumeRelay();
  });

  /** The delivery a template body makes for the tenant's integration. */
  async function deliveryOf(t: AlertTenant, body: Record<string, unknown>): Promise<SignalDelivery> {
    const parsed = parseWebhook(body, new Date());
    assert.equal(parsed.kind, 'event');
    if (parsed.kind !== 'event') throw new Error('not an event');
    const integration = await env.em().findOneOrFail(LevelIntegrationSchema, { tenantId: t.tenantId });
    return alertEventDelivery(t.tenantId, integration.id, parsed.event);
  }

  async function store(delivery: SignalDelivery) {
    assert.ok(await storeInInbox(env.em(), delivery, 'stored by the test'));
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct creation times
    return env.em().findOneOrFail(WebhookInboxSchema, { tenantId: delivery.tenantId, eventId: delivery.eventId });
  }

  const drain = async (batchSize?: number) =>
    drainInbox(env.em(), await env.services.temporal.getClient(), env.config.taskQueue, batchSize ? { batchSize } : {});

  it('parks a row Temporal refuses at once, with its error, and delivers the rows behind it in the same pass', async () => {
    const t = await alertTenant(env, simulator);
    const u = await alertTenant(env, simulator);
    // A workflow id over Temporal's limit (1,000 characters): no retry can deliver it.
    const refusedDelivery = await deliveryOf(t, templateBody({ name: 'Refused' }));
    const refused = await store({
      ...refusedDelivery,
      workflowId: `${refusedDelivery.workflowId}/${'x'.repeat(1000)}`,
    });
    const laterOfT = templateBody({ name: 'Behind the refused row' });
    await store(await deliveryOf(t, laterOfT));
    const ofU = templateBody({ name: 'Another tenant' });
    await store(await deliveryOf(u, ofU));

    // Batches of two: today's relay stopped its pass at the refused row, leaving the rest.
    const pass = await drain(2);
    assert.equal(pass.parked, 1);
    assert.equal(pass.delivered, 2);
    assert.equal(pass.stopped, false);
    const parked = await env.em().findOneOrFail(WebhookInboxSchema, { id: refused.id });
    assert.equal(parked.status, 'parked');
    assert.match(parked.lastError ?? '', /INVALID_ARGUMENT|length/i);
    assert.equal(parked.attempts, 2, "the receiver's try and the relay's");
    assert.ok(parked.parkedAt);
    for (const [tenant, body] of [
      [t, laterOfT],
      [u, ofU],
    ] as const) {
      await waitFor(
        'the ticket',
        async () => (await alertRow(env, tenant.tenantId, body.alert_id as string))?.ticketId,
      );
    }
    // Parked rows are not queued: a pass finds nothing left, and later events of the run do not wait behind it.
    assert.equal((await drain()).remaining, 0);
  });

  it('redrives a parked row of the tenant (admin only, 404 for another tenant, 409 unless parked)', async () => {
    const t = await alertTenant(env, simulator);
    const u = await alertTenant(env, simulator);
    const body = templateBody({ name: 'Parked, then redriven' });
    const row = await store(await deliveryOf(t, body));
    // As if it had failed the same way ten times while Temporal refused it.
    await env
      .em()
      .execute(
        `update "webhook_inbox" set "status" = 'parked', "failure_streak" = 10, "last_error" = 'refused', "parked_at" = now() where "id" = ?`,
        [row.id],
      );
    const path = `${BASE}/webhook/deliveries/${row.id}/redrive`;

    assert.equal((await call(env.apiUrl, 'POST', path)).status, 401);
    const foreign = await u.api.post(path);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'not_found');
    assert.equal((await t.api.post(`${BASE}/webhook/deliveries/not-a-uuid/redrive`)).status, 404);
    assert.equal((await inboxOf(env, t.tenantId))[0]!.status, 'parked', 'another tenant changed nothing');

    const redriven = await t.api.post(path);
    assert.equal(redriven.status, 202, JSON.stringify(redriven.body));
    assert.deepEqual(redriven.body, { id: row.id, status: 'pending' });
    const pending = await env.em().findOneOrFail(WebhookInboxSchema, { id: row.id });
    assert.equal(pending.status, 'pending');
    assert.equal(pending.failureStreak, 0);
    assert.equal(pending.attempts, 1, 'attempts are kept');
    const again = await t.api.post(path);
    assert.equal(again.status, 409, 'only a parked row can be redriven');
    assert.equal(again.body.error.code, 'conflict');

    assert.equal((await drain()).delivered, 1);
    await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, body.alert_id as string))?.ticketId);
    assert.equal((await env.em().findOneOrFail(WebhookInboxSchema, { id: row.id })).status, 'delivered');
  });

  it("takes every tenant's rows in turn: 10,000 waiting rows of one tenant delay another's new event by at most one batch", async () => {
    const busy = await env.createTenant();
    const t = await alertTenant(env, simulator);
    await env.em().execute(
      `insert into "webhook_inbox" ("id", "tenant_id", "event_id", "workflow_id", "workflow_type", "workflow_args", "signal_name", "signal_args", "summary", "status", "attempts", "created_at")
       select gen_random_uuid(), ?, 'bulk-' || i, 'level/' || ? || '/alert/bulk-' || i, ?, '[]'::jsonb, ?, '[]'::jsonb, 'bulk', 'pending', 1,
              now() - interval '1 hour' + i * interval '1 millisecond'
       from generate_series(1, 10000) as i`,
      [busy.tenantId, busy.tenantId, ALERT_LIFECYCLE_WORKFLOW, ALERT_EVENT_SIGNAL],
    );
    try {
      const newest = await store(await deliveryOf(t, templateBody({ name: 'Behind a backlog' })));
      const firstBatch = await env.em().transactional((tx) => claimFairBatch(tx, 200, []));
      assert.ok(
        firstBatch.some((row) => row.id === newest.id),
        'the new event is in the first batch',
      );
      assert.ok(firstBatch.length <= 201, `${firstBatch.length} rows claimed`);
      assert.ok(
        firstBatch.filter((row) => row.tenant_id === busy.tenantId).length >= 100,
        'the busy tenant still gets its share',
      );
    } finally {
      await env.em().execute(`delete from "webhook_inbox" where "tenant_id" in (?, ?)`, [busy.tenantId, t.tenantId]);
    }
  });
});

describe('Inbox failures: when a row is parked', () => {
  const row = { lastError: null, failureStreak: 0 };

  it(`parks a row after ${PARK_AFTER_SAME_FAILURES} identical failures, retrying it later in between with growing pauses`, () => {
    let state = afterFailure(row, 'boom', 'failed', false);
    const pauses = [state.retryInMs];
    for (let i = 2; i < PARK_AFTER_SAME_FAILURES; i += 1) {
      state = afterFailure({ lastError: 'boom', failureStreak: state.failureStreak }, 'boom', 'failed', false);
      assert.equal(state.status, 'pending');
      pauses.push(state.retryInMs);
    }
    assert.ok(
      pauses.every((pause, i) => i === 0 || pause >= pauses[i - 1]!),
      `pauses grow: ${pauses.join(', ')}`,
    );
    assert.ok(pauses[0]! > 0);
    assert.equal(
      afterFailure({ lastError: 'boom', failureStreak: state.failureStreak }, 'boom', 'failed', false).status,
      'parked',
    );
    assert.equal(
      afterFailure({ lastError: 'boom', failureStreak: state.failureStreak }, 'other', 'failed', false).failureStreak,
      1,
      'another error starts a new streak',
    );
  });

  it('parks a refused row at once and never counts failures while Temporal is away', () => {
    assert.equal(afterFailure(row, 'INVALID_ARGUMENT', 'refused', false).status, 'parked');
    const away = afterFailure(
      { lastError: 'UNAVAILABLE', failureStreak: PARK_AFTER_SAME_FAILURES - 1 },
      'UNAVAILABLE',
      'unavailable',
      true,
    );
    assert.deepEqual(away, { status: 'pending', failureStreak: PARK_AFTER_SAME_FAILURES - 1, retryInMs: 0 });
    assert.equal(
      afterFailure(row, 'UNAVAILABLE', 'unavailable', false).failureStreak,
      1,
      'while other rows go through, it is this row failing',
    );
  });
});
