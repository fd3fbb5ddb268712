// Secrets never reach the logs: every log line the API writes while handling keys, webhook
// secrets and failures (Temporal down, inbox fallback, rejected deliveries) is captured at the
// most verbose level and searched for them.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createApp } from '../../api/app';
import { createLogger } from '../../config/logger';
import { freePort } from '../../devserver/free-port';
import type { LevelSimulator } from '../../level/simulator';
import { TemporalGateway } from '../../temporal/connection';
import { alertTenant, startAlertSimulator, templateBody } from '../alerts/fixture';
import { call } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('logs', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let server: Server | undefined;
  let deadTemporal: TemporalGateway | undefined;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
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
    server = createApp({ ...env.services, temporal: deadTemporal, logger, config: env.config }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const admin = { authorization: `Bearer ${t.token}` };
    const signingSecret = 'native-signing-secret-for-log-test';

    await call(url, 'PUT', '/api/v1/integrations/level/webhook/signing-secret', { headers: admin, body: { secret: signingSecret } });
    // Temporal is down: starting a run fails with 503 (logged as an error).
    const started = await call(url, 'POST', '/api/v1/integrations/level/test-connection', { headers: admin });
    assert.equal(started.status, 503);
    // A webhook falls back to the inbox (logged as a warning); a wrong secret is refused.
    const post = (secret: string) => call(url, 'POST', `/webhooks/level/${t.webhookId}`, { rawBody: JSON.stringify(templateBody()), headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': secret } });
    assert.equal((await post(t.secret)).status, 202);
    assert.equal((await post(`${t.secret}x`)).status, 401);

    const text = lines.join('');
    assert.ok(text.includes('request failed'), 'the 503 was logged');
    assert.ok(text.includes('stored in the inbox'), 'the inbox fallback was logged');
    for (const [what, secret] of Object.entries({ apiKey: simulator.apiKey, webhookSecret: t.secret, signingSecret })) {
      assert.ok(!text.includes(secret), `${what} appears in the logs`);
    }
  });
});
