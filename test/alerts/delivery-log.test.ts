// The delivery log: every authenticated webhook delivery with its outcome (accepted, duplicate,
// ignored, rejected, parked), newest first and paginated, never another tenant's, never a secret;
// failed authentications only counted on the card; bounded retention; a bounded write queue.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { alertEventDelivery } from '../../contracts/alerts';
import { storeInInbox } from '../../db/inbox-store';
import { DeliveryRecorder, flushDeliveryRecorders } from '../../api/webhook/delivery-recorder';
import { parseWebhook } from '../../api/webhook/parse';
import { pruneDeliveryLog } from '../../db/delivery-log-store';
import { LevelIntegrationSchema, WebhookDeliverySchema } from '../../db/entities';
import type { LevelSimulator } from '../../simulator';
import type { TestEnv } from '../support/test-env';
import { alertTenant, BASE, templateBody, type AlertTenant, withAlertStack } from './fixture';

const DELIVERIES = `${BASE}/webhook/deliveries`;

interface Delivery {
  id: string;
  receivedAt: string;
  source: string;
  eventType: string | null;
  eventId: string | null;
  outcome: string;
  httpStatus: number;
  levelAlertId?: string;
  levelDeviceId?: string;
  workflowId?: string;
  error?: string;
}

describe('Webhook delivery log', function () {
  this.timeout(90_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  withAlertStack((started) => ({ env, simulator } = started));

  /** The log as the API lists it, once what the receiver queued is written. */
  async function logOf(t: AlertTenant, query = ''): Promise<{ items: Delivery[]; nextCursor: string | null }> {
    await flushDeliveryRecorders();
    const listed = await t.api.get(`${DELIVERIES}${query}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.body));
    return listed.body;
  }

  it('lists accepted, duplicate, ignored, rejected and test deliveries newest first; counts failed authentications without a row', async () => {
    const t = await alertTenant(env, simulator);
    // The card's test alert uses a synced device of a mapped group.
    assert.equal((await t.api.post(`${BASE}/device-sync?wait=true`)).body.status, 'completed');
    const signingSecret = `sig-${randomUUID()}`;
    assert.equal((await t.api.put(`${BASE}/webhook/signing-secret`, { secret: signingSecret })).status, 200);
    const before = Date.now();

    const trigger = templateBody({ name: 'Logged' });
    assert.equal((await t.post(trigger)).status, 202);
    assert.equal((await t.post(trigger)).status, 202, 'a redelivery');
    const ignored = await t.postNative(
      { event_type: 'something_new', event_id: `n-${randomUUID()}`, occurred_at: new Date().toISOString(), data: {} },
      signingSecret,
    );
    assert.equal(ignored.status, 202);
    const refused = await t.post(templateBody({ event: 'constructor' }));
    assert.equal(refused.status, 400);
    assert.equal((await t.post(trigger, { 'x-alga-webhook-secret': 'wrong' })).status, 401);
    assert.equal((await t.post(trigger, {})).status, 401);
    const tested = await t.api.post(`${BASE}/webhook/test`);
    assert.equal(tested.status, 200, JSON.stringify(tested.body));

    const { items } = await logOf(t);
    assert.deepEqual(
      items.map((d) => [d.source, d.outcome, d.httpStatus]),
      [
        ['test', 'accepted', 202],
        ['automation', 'rejected', 400],
        ['native', 'ignored', 202],
        ['automation', 'duplicate', 202],
        ['automation', 'accepted', 202],
      ],
      'newest first; the two unauthenticated requests are no rows',
    );
    const [test, rejected, nativeIgnored, duplicate, accepted] = items as [
      Delivery,
      Delivery,
      Delivery,
      Delivery,
      Delivery,
    ];
    assert.equal(accepted.eventType, 'alert.triggered');
    assert.equal(accepted.levelAlertId, trigger.alert_id);
    assert.equal(accepted.levelDeviceId, trigger.device_id);
    assert.match(accepted.workflowId ?? '', new RegExp(`^level/${t.tenantId}/alert/`));
    assert.equal(duplicate.eventId, accepted.eventId);
    assert.equal(nativeIgnored.eventType, 'something_new');
    assert.equal(rejected.eventType, 'constructor');
    assert.match(rejected.error ?? '', /unknown_event/);
    assert.equal(test.eventType, 'alert.triggered');
    assert.ok(items.every((d) => Date.parse(d.receivedAt) >= before - 1000));

    const card = await t.api.get(`${BASE}/webhook`);
    assert.equal(card.status, 200, JSON.stringify(card.body));
    const stats = card.body.deliveryStats as {
      lastReceivedAt: string;
      unauthenticatedAttempts: number;
      unauthenticatedSince: string;
    };
    assert.equal(stats.unauthenticatedAttempts, 2);
    assert.ok(Date.parse(stats.unauthenticatedSince) >= before - 1000);
    assert.equal(
      stats.lastReceivedAt,
      rejected.receivedAt,
      'the last delivery from Level (the test alert does not count)',
    );

    // Nothing secret in the rows: not the secret header, not the signing secret.
    const rows = await env.em().find(WebhookDeliverySchema, { tenantId: t.tenantId });
    const stored = JSON.stringify(rows);
    assert.ok(!stored.includes(t.secret) && !stored.includes(signingSecret));
  });

  it('pages newest first with a cursor, shows no other tenant, and refuses a bad limit', async () => {
    const t = await alertTenant(env, simulator);
    const u = await alertTenant(env, simulator);
    for (let i = 0; i < 5; i++) assert.equal((await t.post(templateBody({ name: `Paged ${i}` }))).status, 202);
    const first = await logOf(t, '?limit=2');
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const rest = await logOf(t, `?limit=10&cursor=${first.nextCursor}`);
    assert.equal(rest.items.length, 3);
    assert.equal(rest.nextCursor, null);
    const all = [...first.items, ...rest.items];
    assert.equal(new Set(all.map((d) => d.id)).size, 5);
    const times = all.map((d) => Date.parse(d.receivedAt));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );

    assert.deepEqual((await logOf(u)).items, [], 'another tenant sees none of them');
    const bad = await t.api.get(`${DELIVERIES}?limit=501`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_request');
    assert.equal(
      (await u.api.post(`${DELIVERIES}/${first.items[0]!.id}/redrive`)).status,
      404,
      "another tenant's delivery is not found",
    );
  });

  it('shows a delivery whose inbox row is parked as parked, redrives it by its log id, and then shows it accepted', async () => {
    const t = await alertTenant(env, simulator);
    const resumeRelay = await env.pauseRelay();
    try {
      // An event waiting in the inbox makes the receiver queue the run's next event behind it.
      const first = templateBody({ name: 'Queued first' });
      const parsed = parseWebhook(first, new Date());
      if (parsed.kind !== 'event') throw new Error('not an event');
      const integration = await env.em().findOneOrFail(LevelIntegrationSchema, { tenantId: t.tenantId });
      assert.ok(
        await storeInInbox(
          env.em(),
          alertEventDelivery(t.tenantId, integration.id, parsed.event),
          'stored by the test',
        ),
      );
      const second = { ...first, event: 'alert.resolved', occurred_at: new Date(Date.now() + 1000).toISOString() };
      assert.equal((await t.post(second)).status, 202);
      const [queued] = (await logOf(t)).items as [Delivery];
      assert.equal(queued.outcome, 'accepted');
      await env
        .em()
        .execute(
          `update "webhook_inbox" set "status" = 'parked', "last_error" = 'refused by the test', "parked_at" = now() where "tenant_id" = ? and "event_id" = ?`,
          [t.tenantId, queued.eventId],
        );

      const [parked] = (await logOf(t)).items as [Delivery];
      assert.equal(parked.outcome, 'parked');
      assert.equal(parked.error, 'refused by the test');
      assert.equal(parked.httpStatus, 202);
      const redriven = await t.api.post(`${DELIVERIES}/${parked.id}/redrive`);
      assert.equal(redriven.status, 202, JSON.stringify(redriven.body));
      assert.equal((await logOf(t)).items[0]!.outcome, 'accepted');
      assert.equal((await t.api.post(`${DELIVERIES}/${parked.id}/redrive`)).status, 409);
    } finally {
      resumeRelay();
    }
  });

  it('keeps at most 10,000 rows and 30 days per tenant', async () => {
    const t = await alertTenant(env, simulator);
    const u = await alertTenant(env, simulator);
    const integrationOf = async (tenantId: string) =>
      (await env.em().findOneOrFail(LevelIntegrationSchema, { tenantId })).id;
    const insert = `insert into "webhook_deliveries" ("id", "tenant_id", "integration_id", "received_at", "source", "outcome", "http_status")
      select gen_random_uuid(), ?, ?, now() - ?::interval - i * interval '1 second', 'automation', 'accepted', 202 from generate_series(1, ?) as i`;
    await env.em().execute(insert, [t.tenantId, await integrationOf(t.tenantId), '0 seconds', 10_050]);
    await env.em().execute(insert, [u.tenantId, await integrationOf(u.tenantId), '29 days', 3]);
    await env.em().execute(insert, [u.tenantId, await integrationOf(u.tenantId), '31 days', 2]);

    assert.ok((await pruneDeliveryLog(env.em())) >= 52);
    const count = async (tenantId: string) => env.em().count(WebhookDeliverySchema, { tenantId });
    assert.equal(await count(t.tenantId), 10_000);
    assert.equal(await count(u.tenantId), 3, 'rows older than 30 days went');
    const oldestKept = await env
      .em()
      .findOneOrFail(WebhookDeliverySchema, { tenantId: t.tenantId }, { orderBy: { receivedAt: 'asc' } });
    assert.ok(Date.now() - oldestKept.receivedAt.getTime() < 10_010_000, 'the newest rows are the ones kept');
  });

  it('bounds its queue: past the bound the oldest entries are dropped, the newest written', async () => {
    const t = await alertTenant(env, simulator);
    const integrationId = (await env.em().findOneOrFail(LevelIntegrationSchema, { tenantId: t.tenantId })).id;
    const recorder = new DeliveryRecorder(env.orm, env.logger, 3);
    for (let i = 0; i < 5; i++) {
      recorder.record({
        tenantId: t.tenantId,
        integrationId,
        receivedAt: new Date(Date.now() + i),
        source: 'automation',
        eventType: `type-${i}`,
        eventId: null,
        outcome: 'accepted',
        httpStatus: 202,
        recordedIn: 'temporal',
        levelAlertId: null,
        levelDeviceId: null,
        workflowId: null,
        error: null,
      });
    }
    await recorder.flush();
    const rows = await env
      .em()
      .find(WebhookDeliverySchema, { tenantId: t.tenantId }, { orderBy: { receivedAt: 'asc' } });
    assert.deepEqual(
      rows.map((r) => r.eventType),
      ['type-2', 'type-3', 'type-4'],
    );
    // A value PostgreSQL cannot store is cleaned rather than losing the batch.
    recorder.record({
      tenantId: t.tenantId,
      integrationId,
      receivedAt: new Date(),
      source: 'automation',
      eventType: 'nul\u0000here',
      eventId: '\ud800',
      outcome: 'rejected',
      httpStatus: 400,
      recordedIn: null,
      levelAlertId: null,
      levelDeviceId: null,
      workflowId: null,
      error: 'x',
    });
    await recorder.flush();
    assert.equal(await env.em().count(WebhookDeliverySchema, { tenantId: t.tenantId, eventType: 'nulhere' }), 1);
  });
});
