// The Level base URL cannot reach past the service (SSRF): a URL outside LEVEL_ALLOWED_HOSTS is
// refused when saved, and a stored one that the allowlist no longer covers fails its runs with
// `invalid_base_url` before any request is sent.
import assert from 'node:assert/strict';
import { createApp } from '../../api/app';
import { LevelHostPolicy } from '../../level/host-policy';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { apiAs, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

const BASE = '/api/v1/integrations/level';
const KEY = 'lvk_ssrf-test-key-0123456789';

describe('Security: the Level base URL (LEVEL_ALLOWED_HOSTS)', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let strict: ServedApp;

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ apiKeys: [KEY], fleet: { seed: 3, groups: 2, depth: 1, devices: 2 } });
    // As in production: only the simulator's own host:port is allowed, not the rest of loopback.
    const levelHosts = LevelHostPolicy.fromSetting(new URL(simulator.url).host);
    strict = await serveApp(createApp({ ...env.services, logger: env.logger, config: { ...env.config, levelHosts } }));
  });

  after(async () => {
    await strict?.close();
    await simulator?.close();
  });

  it("refuses to save URLs that would scan or proxy the service's own network, and saves nothing", async () => {
    const api = apiAs(strict.url, (await env.createTenant()).token);
    for (const baseUrl of [
      'http://127.0.0.1:54329/#', // the embedded PostgreSQL, as the review used it
      'http://127.0.0.1:8233/api/v1/namespaces', // the Temporal UI's API
      'http://169.254.169.254/latest/meta-data',
      `http://user:pw@${new URL(simulator.url).host}`,
      `${simulator.url}/?page=1`,
      'https://api.level.io.evil.example',
      'gopher://127.0.0.1:6379',
    ]) {
      const answer = await api.put(BASE, { apiKey: KEY, baseUrl });
      assert.equal(answer.status, 400, baseUrl);
      assert.equal(answer.body.error.code, 'invalid_base_url', baseUrl);
      assert.deepEqual(
        answer.body.error.details.fields.map((f: { field: string }) => f.field),
        ['baseUrl'],
      );
      assert.ok(!JSON.stringify(answer.body).includes(KEY));
    }
    assert.equal((await api.get(BASE)).status, 404, 'nothing was saved');
    assert.equal((await api.put(BASE, { apiKey: KEY, baseUrl: simulator.url })).status, 200, 'the allowed host saves');
  });

  it('fails a run on a stored URL that is no longer allowed, without contacting it', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    assert.equal((await api.put(BASE, { apiKey: KEY, baseUrl: simulator.url })).status, 200);
    // Saved before the allowlist changed: `localhost` is not in the test allowlist (127.0.0.1 is).
    await env
      .em()
      .getKnex()('level_integrations')
      .where({ tenant_id: tenant.tenantId })
      .update({ base_url: simulator.url.replace('127.0.0.1', 'localhost') });
    const before = simulator.stats.countUnder('/v2');

    const test = await api.post(`${BASE}/test-connection?wait=true`);
    assert.equal(test.body.status, 'completed');
    assert.equal(test.body.result.ok, false);
    assert.equal(test.body.result.error.code, 'invalid_base_url');
    const sync = await api.post(`${BASE}/discover-groups?wait=true`);
    assert.equal(sync.body.status, 'failed', JSON.stringify(sync.body));
    assert.equal(sync.body.failure.type, 'invalid_base_url');
    assert.match(sync.body.failure.message, /not allowed/);
    assert.equal(simulator.stats.countUnder('/v2'), before, 'no request reached the host');
  });
});
