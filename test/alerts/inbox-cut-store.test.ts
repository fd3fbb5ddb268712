// The connection is cut while the receiver stores a `sending` row, after PostgreSQL has taken the
// insert but before its answer comes back: the receiver sees a failed store, yet the row is
// committed. (The fault matrix's "PostgreSQL goes away during a webhook burst" row met this: now
// and then one row stayed `sending` until the relay's 2-minute takeover.) To make that moment
// certain, a lock the test holds keeps the insert waiting on the server while the test cuts the
// connection, then lets it commit. The receiver must settle the row all the same once Temporal
// has answered and the database is back.
import assert from 'node:assert/strict';
import { createApp } from '../../api/app';
import { settleBackgroundDeliveries } from '../../api/webhook/receiver';
import { openOrm, type Orm } from '../../db/orm';
import type { LevelSimulator } from '../../simulator';
import { TemporalGateway } from '../../temporal/connection';
import { startDelayProxy, type DelayProxy } from '../support/delay-proxy';
import { call, serveApp, type ServedApp } from '../support/http';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { alertRow, alertTenant, inboxOf, startAlertSimulator, templateBody, waitFor } from './fixture';

/** Each way: Temporal answers the receiver's call after at least twice this. */
const DELAY_MS = 1_500;

describe('Inbox: a store cut after PostgreSQL committed it', function () {
  this.timeout(90_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let temporalProxy: DelayProxy;
  let slowGateway: TemporalGateway;
  let dbProxy: TcpProxy;
  let orm: Orm;
  let app: ServedApp;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    temporalProxy = await startDelayProxy(env.config.temporalAddress!);
    slowGateway = new TemporalGateway(temporalProxy.address, env.config.temporalNamespace);
    await slowGateway.getClient(); // connect while the proxy is still fast
    temporalProxy.delayMs = DELAY_MS;
    dbProxy = await startTcpProxy(databaseHostPort(env.config.databaseUrl!));
    orm = await openOrm(throughProxy(env.config.databaseUrl!, dbProxy.address));
    app = await serveApp(
      createApp({ ...env.services, orm, temporal: slowGateway, logger: env.logger, config: env.config }),
    );
  });

  after(async () => {
    await app?.close();
    if (temporalProxy) temporalProxy.delayMs = 0;
    await settleBackgroundDeliveries();
    await orm?.close();
    await dbProxy?.close();
    await slowGateway?.close();
    await temporalProxy?.close();
    await simulator?.close();
  });

  it('settles the row Temporal delivered although its store seemed to fail, long before the 2-minute takeover', async () => {
    const t = await alertTenant(env, simulator);
    const trigger = templateBody({ name: 'Stored as the connection was cut' });
    const knex = env.orm.em.fork().getKnex();

    // Reads of the inbox go through; the receiver's insert waits for this lock.
    const blocker = await knex.transaction();
    let answer: Promise<{ status: number }>;
    try {
      await blocker.raw('lock table "webhook_inbox" in share mode');
      answer = call(app.url, 'POST', `/webhooks/level/${t.webhookId}`, {
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
    const stored = await inboxOf(env, t.tenantId);
    assert.equal(stored.length, 1, 'the insert was committed although its answer was lost');

    await waitFor(
      'the row settled as delivered',
      async () => (await inboxOf(env, t.tenantId))[0]?.status === 'delivered',
      20_000,
    );
    await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, trigger.alert_id as string))?.ticketId);
  });
});

/** host:port of a postgres:// URL. */
function databaseHostPort(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}`;
}

/** The same URL, through the proxy. */
function throughProxy(url: string, proxyAddress: string): string {
  const parsed = new URL(url);
  const [host, port] = proxyAddress.split(':');
  parsed.hostname = host!;
  parsed.port = port!;
  return parsed.toString();
}
