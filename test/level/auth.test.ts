import assert from 'node:assert/strict';
import { createLevelClient } from '../../level/client';
import { LevelApiError, LevelAuthError } from '../../level/errors';
import type { LevelSimulator } from '../../simulator';
import { clientFor, handMadeFleet, KEY, READ_ONLY_KEY, rejection, startSimulator } from './helpers';

describe('Level auth', () => {
  let simulator: LevelSimulator;

  before(async () => {
    simulator = await startSimulator({ fleet: handMadeFleet() });
  });
  after(() => simulator.close());

  it('accepts the raw key in the Authorization header', async () => {
    const page = await clientFor(simulator).listGroupsPage({ limit: 1 });
    assert.equal(page.data.length, 1);
  });

  it('rejects a Bearer-prefixed key with 401, like Level', async () => {
    const response = await fetch(`${simulator.url}/v2/groups?limit=1`, { headers: { Authorization: `Bearer ${KEY}` } });
    assert.equal(response.status, 401);
    assert.equal(typeof ((await response.json()) as { error: unknown }).error, 'string');
    const bearerClient = clientFor(simulator, { apiKey: `Bearer ${KEY}` });
    const error = await rejection(bearerClient.listGroupsPage());
    assert.ok(error instanceof LevelAuthError);
    assert.equal(error.status, 401);
  });

  it('rejects a missing key with a 401 JSON error', async () => {
    const response = await fetch(`${simulator.url}/v2/groups`);
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { error: 'Missing API key' });
  });

  it('turns a wrong key into a non-retryable LevelAuthError without retrying', async () => {
    const client = createLevelClient({ baseUrl: simulator.url, apiKey: 'wrong-key', retryBaseDelayMs: 1 });
    const error = await rejection(client.listDevicesPage());
    assert.ok(error instanceof LevelAuthError);
    assert.equal(error.code, 'auth_rejected');
    assert.equal(error.retryable, false);
    assert.equal(error.status, 401);
    assert.equal(error.message, 'Level rejected the API key (HTTP 401)');
    assert.equal(client.requestCount, 1);
  });

  it('answers 403 when a read-only key resolves an alert', async () => {
    const client = clientFor(simulator, { apiKey: READ_ONLY_KEY });
    const error = await rejection(client.resolveAlert('al/1'));
    assert.ok(error instanceof LevelAuthError);
    assert.equal(error.status, 403);
    assert.equal(simulator.fleet.alertDocument('al/1')?.is_resolved, false);
    // Reads still work with the read-only key.
    assert.equal((await client.getAlert('al/1')).id, 'al/1');
  });

  it('never puts the key in an error message, detail, property or cause', async () => {
    // A server that echoes the key back in its error text must not leak it through us.
    const echoing = createLevelClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: KEY,
      maxRetries: 0,
      fetchImpl: async () => Response.json({ error: `bad key ${KEY}` }, { status: 401 }),
    });
    const refused = createLevelClient({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, maxRetries: 0 });
    for (const error of [await rejection(echoing.listGroupsPage()), await rejection(refused.listGroupsPage())]) {
      assert.ok(error instanceof LevelApiError);
      const everything = JSON.stringify({
        ...error,
        message: error.message,
        stack: error.stack,
        cause: String(error.cause),
      });
      assert.equal(everything.includes(KEY), false, everything);
    }
  });
});
