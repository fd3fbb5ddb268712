// Secrets never reach the logs: every log line the API writes while handling keys, webhook
// secrets and failures (Temporal down, inbox fallback, rejected deliveries) is captured at the
// most verbose level and searched for them; so are the worker's, its activities' and the
// Temporal SDK's while a rejected key, a sync and an alert go through it.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createApp } from '../../api/app';
import { createLogger } from '../../config/logger';
import { freePort } from '../../devserver/free-port';
import type { LevelSimulator } from '../../simulator';
import { TemporalGateway } from '../../temporal/connection';
import { stopWorker, startWorker } from '../../worker/run-worker';
import { ACME_GROUP, alertRow, alertTenant, BASE, startAlertSimulator, templateBody, waitFor } from '../alerts/fixture';
import { apiAs, call, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, onSdkLog, type TestEnv } from '../support/test-env';

describe('logs', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let served: ServedApp | undefined;
  let deadTemporal: TemporalGateway | undefined;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
  });

  after(async () => {
    await served?.close();
    await deadTemporal?.close();
    await simulator.close();
  });

  it('never contain an API key, a webhook secret or a signing secret', async () => {
    const t = await alertTenant(env, simulator);
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    deadTemporal = new TemporalGateway(`127.0.0.1:${await freePort()}`, 'default');
    const logger = createLogger('trace', 'log-capture', sink);
    served = await serveApp(createApp({ ...env.services, temporal: deadTemporal, logger, config: env.config }));
    const url = served.url;
    const admin = { authorization: `Bearer ${t.token}` };
    const signingSecret = 'native-signing-secret-for-log-test';

    await call(url, 'PUT', '/api/v1/integrations/level/webhook/signing-secret', {
      headers: admin,
      body: { secret: signingSecret },
    });
    // Temporal is down: starting a run fails with 503 (logged as an error).
    const started = await call(url, 'POST', '/api/v1/integrations/level/test-connection', { headers: admin });
    assert.equal(started.status, 503);
    // A webhook falls back to the inbox (logged as a warning); a wrong secret is refused.
    const post = (secret: string) =>
      call(url, 'POST', `/webhooks/level/${t.webhookId}`, {
        rawBody: JSON.stringify(templateBody()),
        headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': secret },
      });
    assert.equal((await post(t.secret)).status, 202);
    assert.equal((await post(`${t.secret}x`)).status, 401);

    const text = lines.join('');
    assert.ok(text.includes('request failed'), 'the 503 was logged');
    assert.ok(text.includes('stored in the inbox'), 'the inbox fallback was logged');
    for (const [what, secret] of Object.entries({ apiKey: simulator.apiKey, webhookSecret: t.secret, signingSecret })) {
      assert.ok(!text.includes(secret), `${what} appears in the logs`);
    }
  });

  it('never contain them in the worker either: its activities and the Temporal SDK', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const sdkEntries: string[] = [];
    const stopListening = onSdkLog((entry) =>
      sdkEntries.push(`${entry.level} ${entry.message} ${JSON.stringify(entry.meta ?? {})}`),
    );
    // A worker of its own (own task queue, logging at trace into the sink) behind an API that uses it.
    const logger = createLogger('trace', 'worker-log-capture', sink);
    const config = { ...env.config, taskQueue: `${env.config.taskQueue}-logs` };
    const worker = await startWorker(env.services, config, logger);
    const app = await serveApp(createApp({ ...env.services, logger, config }));
    const wrongKey = 'wrong-level-key-for-the-log-test';
    let webhookSecret = '';
    try {
      const url = app.url;
      const tenant = await env.createTenant();
      const api = apiAs(url, tenant.token);
      // Level refuses the key: the run fails (the SDK logs the failed activity).
      assert.equal((await api.put(BASE, { apiKey: wrongKey, baseUrl: simulator.url })).status, 200);
      const refused = await api.post(`${BASE}/test-connection?wait=true`);
      assert.equal(refused.body.result?.ok, false, JSON.stringify(refused.body));
      // The right key: discovery, a mapping, a sync, and an alert routed to a ticket.
      assert.equal((await api.put(BASE, { apiKey: simulator.apiKey, baseUrl: simulator.url })).status, 200);
      assert.equal((await api.post(`${BASE}/discover-groups?wait=true`)).body.status, 'completed');
      const client = await api.post('/api/v1/clients', { name: 'Log test client' });
      assert.equal(
        (await api.put(`${BASE}/groups/${encodeURIComponent(ACME_GROUP)}/mapping`, { clientId: client.body.id }))
          .status,
        200,
      );
      assert.equal((await api.post(`${BASE}/device-sync?wait=true`)).body.status, 'completed');
      const card = await api.get(`${BASE}/webhook?reveal=true`);
      webhookSecret = card.body.header.value as string;
      const body = templateBody();
      const webhookPath = new URL(card.body.url as string).pathname;
      const posted = await call(url, 'POST', webhookPath, {
        rawBody: JSON.stringify(body),
        headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': webhookSecret },
      });
      assert.equal(posted.status, 202);
      await waitFor(
        'the ticket',
        async () => (await alertRow(env, tenant.tenantId, body.alert_id as string))?.ticketId,
      );
    } finally {
      stopListening();
      await app.close();
      await stopWorker(worker);
    }

    // Our activities log only when something goes wrong (none did here); the SDK logs the failed test.
    assert.ok(sdkEntries.length > 0, 'the SDK logged (at least the failed connection test)');
    const text = lines.join('') + sdkEntries.join('\n');
    for (const [what, secret] of Object.entries({ apiKey: simulator.apiKey, rejectedKey: wrongKey, webhookSecret })) {
      assert.ok(!text.includes(secret), `${what} appears in the worker's logs`);
    }
  });
});
