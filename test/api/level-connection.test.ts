// The Level Connection card end to end: Koa → Temporal workflow → activity → Level simulator
// over HTTP → PostgreSQL.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { TEST_CONNECTION_WORKFLOW } from '../../contracts/workflows';
import { historyText } from '../support/history';
import { apiAs } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

const BASE = '/api/v1/integrations/level';
const newKey = () => `lvk_${randomBytes(18).toString('base64url')}`;

describe('Level connection', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let key: string;

  before(async () => {
    env = await getTestEnv();
  });

  beforeEach(async () => {
    key = newKey();
    simulator = await startLevelSimulator({ apiKeys: [key], fleet: { seed: 7, groups: 5, depth: 2, devices: 10 } });
  });

  afterEach(async () => {
    await simulator.close();
  });

  async function connectedTenant(apiKey = key) {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    const saved = await api.put(BASE, { apiKey, baseUrl: simulator.url });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    return { tenant, api, saved };
  }

  it('saves the key, tests the connection and reports connected', async () => {
    const { api, saved } = await connectedTenant();
    assert.equal(saved.body.status, 'configured');
    assert.equal(saved.body.apiKeyHint, `…${key.slice(-4)}`);
    assert.ok(!JSON.stringify(saved.body).includes(key), 'the key is never returned');

    const run = await api.post(`${BASE}/test-connection?wait=true`);
    assert.equal(run.status, 200);
    assert.equal(run.body.status, 'completed');
    assert.equal(run.body.result.ok, true);
    assert.match(run.body.workflowId, /^level\/[0-9a-f-]+\/test-connection\/[0-9a-f-]+$/);
    assert.equal(simulator.stats.countUnder('/v2/groups'), 1);

    const integration = await api.get(BASE);
    assert.equal(integration.body.status, 'connected');
    assert.equal(integration.body.connectedAt, run.body.result.connectedAt);
    assert.ok(integration.body.lastTestedAt);
    assert.equal(integration.body.lastError, null);
    assert.deepEqual(integration.body.summary, { mappedGroups: 0, devices: 0, activeAlerts: 0 });
  });

  it('reports a rejected key as an error at once and keeps the saved key', async () => {
    const wrongKey = newKey();
    const { api } = await connectedTenant(wrongKey);
    const run = await api.post(`${BASE}/test-connection?wait=true`);
    assert.equal(run.body.status, 'completed');
    assert.equal(run.body.result.ok, false);
    assert.equal(run.body.result.error.code, 'level_auth_rejected');
    assert.match(run.body.result.error.message, /Level rejected the API key/);
    assert.equal(simulator.stats.total, 1, 'a rejected key is not retried');

    const integration = await api.get(BASE);
    assert.equal(integration.body.status, 'error');
    assert.equal(integration.body.lastError.code, 'level_auth_rejected');
    assert.ok(integration.body.apiKeyHint, 'the key is still saved');

    // Once Level accepts that key (say, the admin re-enabled it), the saved one works as it is.
    simulator.setApiKeys([wrongKey]);
    const retest = await api.post(`${BASE}/test-connection?wait=true`);
    assert.equal(retest.body.result.ok, true);
    assert.equal((await api.get(BASE)).body.status, 'connected');
  });

  it('retries 5xx answers with backoff and then connects', async () => {
    const { api } = await connectedTenant();
    simulator.faults.inject({ status: 500, times: 2 });
    const run = await api.post(`${BASE}/test-connection?wait=true`);
    assert.equal(run.body.result.ok, true);
    assert.equal(simulator.stats.total, 3);
    assert.equal((await api.get(BASE)).body.status, 'connected');
  });

  it('gives up on a Level that keeps failing and reports the cause', async () => {
    const { api } = await connectedTenant();
    simulator.faults.inject({ kind: 'html', status: 200, times: 10 });
    const run = await api.post(`${BASE}/test-connection?wait=true`);
    assert.equal(run.body.status, 'completed');
    assert.equal(run.body.result.ok, false);
    assert.equal(run.body.result.error.code, 'level_bad_response');
    assert.equal(simulator.stats.total, 4, 'four attempts in all');
    const integration = await api.get(BASE);
    assert.equal(integration.body.status, 'error');
    assert.ok(integration.body.apiKeyHint);
  });

  it('reports an unreachable Level', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    const closed = await startLevelSimulator({ apiKeys: [key] });
    const deadUrl = closed.url;
    await closed.close();
    await api.put(BASE, { apiKey: key, baseUrl: deadUrl });
    const run = await api.post(`${BASE}/test-connection?wait=true`);
    assert.equal(run.body.result.ok, false);
    assert.equal(run.body.result.error.code, 'level_unreachable');
  });

  it('keeps the key out of the workflow history', async () => {
    const { api, tenant } = await connectedTenant();
    const run = await api.post(`${BASE}/test-connection?wait=true`);
    const text = await historyText(env.temporalClient, run.body.workflowId);
    assert.ok(text.includes(tenant.tenantId), 'payloads were decoded');
    assert.ok(!text.includes(key), 'the API key is not in the history');
  });

  it('does not mark a key saved during a test as connected by the test of the previous key', async () => {
    const { api } = await connectedTenant();
    simulator.latencyMs = 1_500;
    const started = await api.post(`${BASE}/test-connection`);
    assert.equal(started.status, 202);
    // The run's call to Level is on the way (counted on arrival, before the simulated latency).
    const deadline = Date.now() + 10_000;
    while (simulator.stats.countUnder('/v2/groups') === 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(simulator.stats.countUnder('/v2/groups'), 1);
    const replaced = await api.put(BASE, { apiKey: newKey(), baseUrl: simulator.url });
    assert.equal(replaced.body.status, 'configured');

    const result = await env.temporalClient.workflow.getHandle(started.body.workflowId).result();
    assert.equal(result.ok, true, 'the previous key did work');
    const integration = await api.get(BASE);
    assert.equal(integration.body.status, 'configured', 'the new key is still untested');
    assert.equal(integration.body.connectedAt, null);
  });

  it('shows a run to its own tenant only', async () => {
    const { api } = await connectedTenant();
    const started = await api.post(`${BASE}/test-connection`);
    assert.equal(started.status, 202);
    assert.equal(started.body.status, 'running');
    assert.ok(started.body.runId);

    const other = apiAs(env.apiUrl, (await env.createTenant()).token);
    assert.equal((await other.get(BASE)).status, 404);
    assert.equal((await other.post(`${BASE}/test-connection`)).status, 404);
    const encoded = `/api/v1/runs/${encodeURIComponent(started.body.workflowId)}`;
    assert.equal((await other.get(encoded)).status, 404);

    await env.temporalClient.workflow.getHandle(started.body.workflowId).result();
    const mine = await api.get(encoded);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.type, TEST_CONNECTION_WORKFLOW);
    assert.equal(mine.body.status, 'completed');
    assert.equal(mine.body.result.ok, true);
    assert.ok(mine.body.closedAt);
    const raw = await api.get(`/api/v1/runs/${started.body.workflowId}`);
    assert.equal(raw.body.workflowId, started.body.workflowId, 'raw slashes work too');
  });

  it('validates the configuration and changes nothing on bad input', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    const missing = await api.put(BASE, { baseUrl: simulator.url });
    assert.equal(missing.status, 400);
    assert.deepEqual(
      missing.body.error.details.fields.map((f: { field: string }) => f.field),
      ['apiKey'],
    );
    const badUrl = await api.put(BASE, { apiKey: key, baseUrl: 'ftp://example' });
    assert.equal(badUrl.status, 400);
    assert.deepEqual(
      badUrl.body.error.details.fields.map((f: { field: string }) => f.field),
      ['baseUrl'],
    );
    assert.ok(!JSON.stringify(badUrl.body).includes(key), 'the key is not echoed back');
    assert.equal((await api.get(BASE)).status, 404);
  });

  it('disconnects: removes the key, keeps the integration', async () => {
    const { api } = await connectedTenant();
    await api.put(`${BASE}/webhook/signing-secret`, { secret: 'native-signing-secret-1234' });
    const deleted = await api.delete(BASE);
    assert.equal(deleted.status, 200);
    const row = await env.em().getKnex()('level_integrations').where({ id: deleted.body.id }).first();
    assert.deepEqual(
      [row.api_key_sealed, row.webhook_secret_sealed, row.signing_secret_sealed],
      [null, null, null],
      'every secret removed',
    );
    assert.equal(deleted.body.status, 'disconnected');
    assert.equal(deleted.body.apiKeyHint, null);
    const test = await api.post(`${BASE}/test-connection`);
    assert.equal(test.status, 409);
    assert.equal(test.body.error.code, 'not_configured');
  });
});
