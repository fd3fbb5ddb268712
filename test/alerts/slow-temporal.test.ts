// Temporal answering slowly (a delaying proxy in front of the real server): the receiver must not
// make Level wait. It answers 202 once the event is in the inbox, lets its own call finish in the
// background, hands events beyond its calls in flight to the relay, and every event still reaches
// its run exactly once and in order. When the database goes away around the receiver's `sending`
// row, the receiver still settles that row itself, before the relay's takeover (45 s).
import assert from 'node:assert/strict';
import { createApp } from '../../api/app';
import { MAX_DIRECT_DELIVERIES, settleBackgroundDeliveries } from '../../api/webhook/receiver';
import type { LevelSimulator } from '../../simulator';
import { TemporalGateway } from '../../temporal/connection';
import { openOrm } from '../../db/orm';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy';
import { proxyDatabase, type TcpProxy } from '../support/tcp-proxy';
import { call, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';
import {
  alertRow,
  alertTenant,
  inboxOf,
  startAlertSimulator,
  templateBody,
  ticketsOf,
  waitFor,
  type AlertTenant,
} from './fixture';

/** Each way: a signalWithStart through the proxy takes at least twice this. */
const DELAY_MS = 1_500;

describe('Alert webhooks while Temporal is slow', function () {
  this.timeout(90_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let proxy: DelayProxy;
  let slowGateway: TemporalGateway;
  let slow: ServedApp;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    proxy = await startDelayProxy(env.config.temporalAddress!);
    slowGateway = new TemporalGateway(proxy.address, env.config.temporalNamespace);
    await slowGateway.getClient(); // connect while the proxy is still fast
    proxy.delayMs = DELAY_MS;
    // The same service whose Temporal is slow; the test environment's relay delivers what it leaves in the inbox.
    slow = await serveApp(
      createApp({ ...env.services, temporal: slowGateway, logger: env.logger, config: env.config }),
    );
  });

  after(async () => {
    await slow.close();
    proxy.delayMs = 0;
    await settleBackgroundDeliveries();
    await slowGateway.close();
    await proxy.close();
    await simulator.close();
  });

  const postSlow = (t: AlertTenant, body: unknown) =>
    call(slow.url, 'POST', `/webhooks/level/${t.webhookId}`, {
      rawBody: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
    });

  it('answers before Temporal does, then delivers the trigger once and its resolve after it', async () => {
    const t = await alertTenant(env, simulator);
    const trigger = templateBody({ name: 'Slow Temporal alert' });
    const resolve = { ...trigger, event: 'alert.resolved', occurred_at: new Date(Date.now() + 1000).toISOString() };

    assert.equal((await postSlow(t, trigger)).status, 202);
    let rows = await inboxOf(env, t.tenantId);
    assert.deepEqual(
      rows.map((row) => row.status),
      ['sending'],
      'answered while its signalWithStart was still on the way, with the event durable in the inbox',
    );
    assert.equal((await postSlow(t, resolve)).status, 202);
    rows = await inboxOf(env, t.tenantId);
    assert.equal(rows.length, 2);
    assert.equal(
      rows.find((row) => row.status !== 'sending')?.status,
      'pending',
      'the resolve queues behind its trigger',
    );

    await waitFor(
      'both events delivered',
      async () => (await inboxOf(env, t.tenantId)).every((row) => row.status === 'delivered'),
      30_000,
    );
    await waitFor(
      'the alert resolved',
      async () => (await alertRow(env, t.tenantId, trigger.alert_id as string))?.status === 'resolved',
      30_000,
    );
    const tickets = await ticketsOf(env, t.tenantId);
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.occurrences, 1);
    assert.equal(tickets[0]!.status, 'closed', 'ticketed first, then auto-resolved: the events arrived in order');
  });

  it('hands events beyond its calls in flight to the relay, and delivers each exactly once', async () => {
    const t = await alertTenant(env, simulator);
    const count = MAX_DIRECT_DELIVERIES + 8;
    const bodies = Array.from({ length: count }, (_, i) => templateBody({ name: `Burst alert ${i}` }));
    const answers = await Promise.all(bodies.map((body) => postSlow(t, body)));
    assert.ok(
      answers.every((answer) => answer.status === 202),
      JSON.stringify(answers.map((answer) => answer.status)),
    );

    const rows = await inboxOf(env, t.tenantId);
    assert.equal(rows.length, count, 'every event is in the inbox: none waited for Temporal');
    const leftToRelay = rows.filter((row) => row.lastError?.startsWith('Temporal is busy'));
    assert.ok(
      leftToRelay.length >= count - MAX_DIRECT_DELIVERIES,
      `${leftToRelay.length} events went straight to the relay`,
    );

    await waitFor('every ticket', async () => (await ticketsOf(env, t.tenantId)).length === count || null, 60_000);
    await waitFor(
      'every row delivered',
      async () => (await inboxOf(env, t.tenantId)).every((row) => row.status === 'delivered'),
      30_000,
    );
    const tickets = await ticketsOf(env, t.tenantId);
    assert.equal(tickets.length, count, 'one ticket per alert');
    assert.ok(
      tickets.every((ticket) => ticket.occurrences === 1),
      'no event was processed twice',
    );
  });

  it('settles its inbox row once the database is back, when it was away as Temporal answered', async () => {
    const { cut, dbProxy, close } = await behindDatabaseProxy();
    try {
      const t = await alertTenant(env, simulator);
      const trigger = templateBody({ name: 'Settled after a database outage' });
      const answer = await call(cut.url, 'POST', `/webhooks/level/${t.webhookId}`, {
        rawBody: JSON.stringify(trigger),
        headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
      });
      assert.equal(answer.status, 202);
      assert.deepEqual(
        (await inboxOf(env, t.tenantId)).map((row) => row.status),
        ['sending'],
      );
      // Down from now until well after Temporal's slow answer (at least 2 × DELAY_MS) arrives.
      await dbProxy.outage(2 * DELAY_MS + 2_000);
      // Without retrying, the row would stay `sending` until the relay's takeover, after this wait.
      await waitFor(
        'the row settled by the receiver',
        async () => (await inboxOf(env, t.tenantId))[0]?.status === 'delivered',
        20_000,
      );
      assert.ok(dbProxy.stats.dropped + dbProxy.stats.refused > 0, 'the outage met the service');
      await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, trigger.alert_id as string))?.ticketId);
    } finally {
      await close();
    }
  });

  it('settles the row Temporal delivered although its store seemed to fail (the insert committed, its answer cut)', async () => {
    // A lock the test holds keeps the receiver's insert waiting on the server while the test cuts
    // the connection, then lets it commit: the receiver sees a failed store, yet the row is there.
    // (The fault matrix's "PostgreSQL goes away during a webhook burst" row met this now and then.)
    const { cut, dbProxy, close } = await behindDatabaseProxy();
    try {
      const t = await alertTenant(env, simulator);
      const trigger = templateBody({ name: 'Stored as the connection was cut' });
      const knex = env.orm.em.fork().getKnex();

      // Reads of the inbox go through; the receiver's insert waits for this lock.
      const blocker = await knex.transaction();
      let answer: Promise<{ status: number }>;
      try {
        await blocker.raw('lock table "webhook_inbox" in share mode');
        answer = call(cut.url, 'POST', `/webhooks/level/${t.webhookId}`, {
          rawBody: JSON.stringify(trigger),
          headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
        });
        await waitFor(
          "the receiver's insert waiting on the server",
          async () => {
            const { rows } = await knex.raw<{ rows: unknown[] }>(
              `select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into "webhook_inbox"%' and query like ?`,
              [`%${t.tenantId}%`],
            );
            return rows.length > 0;
          },
          10_000,
        );
        // Cut while it waits (PostgreSQL does not notice a gone client until it answers), for 1 s.
        void dbProxy.outage(1_000);
      } finally {
        await blocker.rollback();
      }
      // The insert goes on and commits; the receiver saw its connection cut, and Temporal takes the event.
      assert.equal((await answer).status, 202);
      assert.ok(dbProxy.stats.dropped > 0, 'the outage cut the connection');
      assert.equal((await inboxOf(env, t.tenantId)).length, 1, 'the insert was committed although its answer was lost');

      await waitFor(
        'the row settled as delivered',
        async () => (await inboxOf(env, t.tenantId))[0]?.status === 'delivered',
        20_000,
      );
      await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, trigger.alert_id as string))?.ticketId);
    } finally {
      await close();
    }
  });

  /** The same slow service, its database reached through a proxy the test can cut. */
  async function behindDatabaseProxy(): Promise<{ cut: ServedApp; dbProxy: TcpProxy; close: () => Promise<void> }> {
    const { proxy: dbProxy, url } = await proxyDatabase(env.config.databaseUrl!);
    const orm = await openOrm(url);
    const cut = await serveApp(
      createApp({ ...env.services, orm, temporal: slowGateway, logger: env.logger, config: env.config }),
    );
    return {
      cut,
      dbProxy,
      close: async () => {
        await cut.close();
        await settleBackgroundDeliveries();
        await orm.close();
        await dbProxy.close();
      },
    };
  }
});
