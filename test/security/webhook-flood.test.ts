// A flood of unauthenticated requests cannot starve real deliveries: refusals are answered from
// memory (the webhook id's integration is cached, found or not), failed attempts are limited per
// webhook id and per client address (429 with Retry-After), and deliveries with the right secret,
// to this webhook or another, are still accepted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../api/app';
import type { LevelSimulator } from '../../simulator';
import { alertRow, alertTenant, startAlertSimulator, templateBody, waitFor, type AlertTenant } from '../alerts/fixture';
import { call, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('Webhook receiver under a flood of bad requests', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let served: ServedApp;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    // Its own API, so the limits this suite spends are not those of the shared one; behind a
    // proxy (TRUST_PROXY), so that X-Forwarded-For stands for the client address.
    served = await serveApp(
      createApp({ ...env.services, logger: env.logger, config: { ...env.config, trustProxy: true } }),
    );
  });

  after(async () => {
    await served.close();
    await simulator.close();
  });

  /** Counts the receiver's webhook-id lookups in PostgreSQL while `body` runs. */
  async function countingLookups<T>(body: () => Promise<T>): Promise<{ result: T; lookups: number }> {
    let lookups = 0;
    const knex = env.orm.em.getKnex();
    const onQuery = (query: { sql?: string }) => {
      if (query.sql?.includes('"webhook_id" =')) lookups += 1;
    };
    knex.on('query', onQuery);
    try {
      return { result: await body(), lookups };
    } finally {
      knex.removeListener('query', onQuery);
    }
  }

  const post = (webhookId: string, address: string, secret: string, body: unknown = templateBody()) =>
    call(served.url, 'POST', `/webhooks/level/${webhookId}`, {
      rawBody: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': secret, 'x-forwarded-for': address },
    });

  async function burst(count: number, send: (i: number) => ReturnType<typeof post>) {
    const answers = [];
    for (let i = 0; i < count; i += 20)
      answers.push(...(await Promise.all(Array.from({ length: Math.min(20, count - i) }, (_, j) => send(i + j)))));
    return answers;
  }

  it('answers a burst of bad secrets with 429 and Retry-After, without the database; right secrets are still accepted', async () => {
    const flooded: AlertTenant = await alertTenant(env, simulator);
    const other: AlertTenant = await alertTenant(env, simulator);
    const attacker = '198.51.100.7';
    const { result: answers, lookups } = await countingLookups(() =>
      burst(200, (i) => post(flooded.webhookId, attacker, `whs_wrong_${i}`)),
    );

    const statuses = answers.map((answer) => answer.status);
    assert.ok(
      statuses.every((status) => status === 401 || status === 429),
      JSON.stringify(statuses),
    );
    assert.ok(statuses.includes(401), 'the first attempts are told the secret is wrong');
    const limited = answers.filter((answer) => answer.status === 429);
    assert.ok(limited.length >= 150, `${limited.length} of 200 answered 429`);
    for (const answer of limited) {
      assert.equal(answer.body.error.code, 'rate_limited');
      assert.equal(typeof answer.body.error.message, 'string');
      assert.ok(Number(answer.headers.get('retry-after')) >= 1, 'Retry-After in whole seconds');
    }
    assert.ok(lookups <= 1, `${lookups} webhook lookups in PostgreSQL for 200 bad requests`);

    // Right secrets: another webhook, the flooded one from elsewhere, and even from the flooding address.
    const deliveries = [
      { t: other, address: '198.51.100.8', body: templateBody({ name: 'Other webhook during a flood' }) },
      { t: flooded, address: '198.51.100.9', body: templateBody({ name: 'Flooded webhook, right secret' }) },
      { t: flooded, address: attacker, body: templateBody({ name: 'Flooding address, right secret' }) },
    ];
    for (const { t, address, body } of deliveries) {
      const answer = await post(t.webhookId, address, t.secret, body);
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
    }
    for (const { t, body } of deliveries)
      await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, body.alert_id as string))?.ticketId);
  });

  it('limits an address that guesses webhook ids, and stops asking the database for it', async () => {
    const guesser = '198.51.100.20';
    const { result: answers, lookups } = await countingLookups(() =>
      burst(150, () => post(randomBytes(24).toString('base64url'), guesser, 'whs_guess')),
    );
    const statuses = answers.map((answer) => answer.status);
    assert.ok(
      statuses.every((status) => status === 404 || status === 429),
      JSON.stringify(statuses),
    );
    assert.ok(statuses.filter((status) => status === 429).length >= 80, JSON.stringify(statuses));
    assert.ok(lookups <= 60, `${lookups} lookups for 150 guesses: the address stopped costing queries`);
    // Another address guessing wrong is told so, not limited.
    assert.equal((await post(randomBytes(24).toString('base64url'), '198.51.100.21', 'whs_guess')).status, 404);
  });

  it('answers a flood over its limit before Koa: a refusal costs no middleware', async () => {
    const app = createApp({ ...env.services, logger: env.logger, config: { ...env.config, trustProxy: true } });
    let reachedKoa = 0;
    app.middleware.unshift(async (_ctx, next) => {
      reachedKoa += 1;
      await next();
    });
    const own = await serveApp(app);
    try {
      const flooded = await alertTenant(env, simulator);
      const send = (address: string, secret: string, body: unknown = templateBody()) =>
        call(own.url, 'POST', `/webhooks/level/${flooded.webhookId}`, {
          rawBody: JSON.stringify(body),
          headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': secret, 'x-forwarded-for': address },
        });
      const answers = await burst(300, (i) => send('198.51.100.30', `whs_wrong_${i}`));
      const limited = answers.filter((answer) => answer.status === 429);
      assert.ok(limited.length >= 240, `${limited.length} of 300 answered 429`);
      assert.deepEqual(limited[0]!.body, { error: { code: 'rate_limited', message: limited[0]!.body.error.message } });
      assert.ok(Number(limited[0]!.headers.get('retry-after')) >= 1);
      // The webhook id's burst (20) reached Koa to be counted; the rest were answered in front of it.
      assert.ok(reachedKoa <= 40, `${reachedKoa} of 300 bad requests reached Koa's middleware`);

      // The flooding address with the right secret: once proven, admitted from memory even now.
      const proven = await send('198.51.100.31', flooded.secret, templateBody({ name: 'Proves the secret' }));
      assert.equal(proven.status, 202, JSON.stringify(proven.body));
      const body = templateBody({ name: 'Right secret from the flooding address' });
      const accepted = await send('198.51.100.30', flooded.secret, body);
      assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
      await waitFor(
        'the ticket',
        async () => (await alertRow(env, flooded.tenantId, body.alert_id as string))?.ticketId,
      );
    } finally {
      await own.close();
    }
  });

  it('does not let a client pick its address with X-Forwarded-For unless TRUST_PROXY says a proxy sets it', async () => {
    const direct = await serveApp(createApp({ ...env.services, logger: env.logger, config: env.config }));
    try {
      const guess = (i: number) =>
        call(direct.url, 'POST', `/webhooks/level/${randomBytes(24).toString('base64url')}`, {
          rawBody: JSON.stringify(templateBody()),
          headers: {
            'content-type': 'application/json',
            'x-alga-webhook-secret': 'whs_guess',
            'x-forwarded-for': `203.0.113.${i % 250}`,
          },
        });
      const answers = await burst(150, guess);
      // One address for all of them (the socket's): limited after its burst, whatever the header says.
      assert.ok(
        answers.filter((answer) => answer.status === 429).length >= 80,
        JSON.stringify(answers.map((a) => a.status)),
      );
    } finally {
      await direct.close();
    }
  });
});
