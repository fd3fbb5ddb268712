import assert from 'node:assert/strict';
import {
  LevelAuthError,
  LevelBadResponseError,
  LevelClientError,
  LevelNetworkError,
  LevelRateLimitedError,
  LevelServerError,
} from '../../level/errors';
import type { RequestBudget } from '../../level/request-budget';
import type { LevelSimulator } from '../../simulator';
import { clientFor, handMadeFleet, KEY, rejection, startSimulator } from './helpers';

/** Budget that only counts, so tests can check it is taken once per HTTP request. */
function countingBudget(): RequestBudget & { taken: number } {
  const budget = {
    taken: 0,
    acquire: async () => {
      budget.taken += 1;
    },
  };
  return budget;
}

describe('Level client retries and failures', () => {
  let simulator: LevelSimulator;

  before(async () => {
    simulator = await startSimulator({ fleet: handMadeFleet() });
  });
  after(() => simulator.close());
  beforeEach(() => {
    simulator.faults.clear();
    simulator.stats.reset();
    simulator.latencyMs = 0;
  });

  it('honours a 429 Retry-After, then succeeds', async () => {
    simulator.faults.inject({ status: 429, retryAfterSeconds: 1 });
    const budget = countingBudget();
    const client = clientFor(simulator, { budget });
    const started = Date.now();
    const page = await client.listGroupsPage();
    const waited = Date.now() - started;
    console.log(`      waited ${waited} ms for Retry-After: 1`);
    assert.ok(waited >= 950, `waited only ${waited} ms`);
    assert.equal(page.data.length, 4);
    assert.equal(client.requestCount, 2);
    assert.equal(budget.taken, 2);
    assert.equal(simulator.stats.rateLimited, 1);
  });

  it('bounds Retry-After by maxRetryAfterMs and reports LevelRateLimitedError once retries run out', async () => {
    simulator.faults.inject({ status: 429, retryAfterSeconds: 3600, times: 3 });
    const client = clientFor(simulator, { maxRetries: 2, maxRetryAfterMs: 5 });
    const error = await rejection(client.listDevicesPage());
    assert.ok(error instanceof LevelRateLimitedError);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.equal(error.retryable, true);
    assert.equal(client.requestCount, 3);
  });

  it('retries a burst of 500s, then succeeds, taking the budget for every attempt', async () => {
    simulator.faults.inject({ status: 500, times: 3 });
    const budget = countingBudget();
    const client = clientFor(simulator, { budget });
    const device = await client.getDevice('dev/1');
    assert.equal(device.id, 'dev/1');
    assert.equal(client.requestCount, 4);
    assert.equal(budget.taken, 4);
    assert.equal(simulator.stats.total, 4);
  });

  it('gives up with LevelServerError after maxRetries', async () => {
    simulator.faults.inject({ status: 503, times: 10 });
    const client = clientFor(simulator, { maxRetries: 2 });
    const error = await rejection(client.listGroupsPage());
    assert.ok(error instanceof LevelServerError);
    assert.equal(error.status, 503);
    assert.equal(error.retryable, true);
    assert.equal(client.requestCount, 3);
  });

  it('does not retry client errors (400) or auth errors', async () => {
    simulator.faults.inject({ status: 401, times: 1 });
    const client = clientFor(simulator);
    assert.ok((await rejection(client.listGroupsPage())) instanceof LevelAuthError);
    const badLimit = await rejection(client.listGroupsPage({ limit: 500 }));
    assert.ok(badLimit instanceof LevelClientError);
    assert.equal(badLimit.retryable, false);
    assert.match(badLimit.message, /HTTP 400.*limit/);
    assert.equal(client.requestCount, 2);
  });

  it('treats an HTML body as LevelBadResponseError (retried, then reported)', async () => {
    simulator.faults.inject({ kind: 'html', status: 200, times: 5 });
    const client = clientFor(simulator, { maxRetries: 1 });
    const error = await rejection(client.listGroupsPage());
    assert.ok(error instanceof LevelBadResponseError);
    assert.equal(error.message, 'Level answered with a non-JSON body (text/html, HTTP 200)');
    assert.equal(error.retryable, true);
    assert.equal(client.requestCount, 2);
    simulator.faults.clear();
    simulator.faults.inject({ kind: 'html', status: 200 });
    assert.equal((await client.listGroupsPage()).data.length, 4);
  });

  it('treats an HTML 502 from a proxy as a retryable server error', async () => {
    simulator.faults.inject({ kind: 'html', status: 502, times: 1 });
    const client = clientFor(simulator);
    assert.equal((await client.listGroupsPage()).data.length, 4);
    assert.equal(client.requestCount, 2);
  });

  it('maps a reset socket to LevelNetworkError and recovers on retry', async () => {
    simulator.faults.inject({ kind: 'reset', times: 2 });
    const client = clientFor(simulator, { maxRetries: 1 });
    const error = await rejection(client.listGroupsPage());
    assert.ok(error instanceof LevelNetworkError);
    assert.equal(error.retryable, true);
    assert.match(error.message, /^Could not reach Level: /);
    assert.equal(error.message.includes(KEY), false);
    assert.equal((await client.listGroupsPage()).data.length, 4);
  });

  it('maps connection refused to LevelNetworkError', async () => {
    const closed = await startSimulator();
    const url = closed.url;
    await closed.close();
    const client = clientFor(closed, { baseUrl: url, maxRetries: 1 });
    const error = await rejection(client.listGroupsPage());
    assert.ok(error instanceof LevelNetworkError);
    assert.equal(error.causeCode, 'ECONNREFUSED');
    assert.equal(error.message, 'Could not reach Level: connection refused');
  });

  it('times out a slow answer (latency) and a hung request', async () => {
    simulator.latencyMs = 300;
    const client = clientFor(simulator, { timeoutMs: 100, maxRetries: 1 });
    const slow = await rejection(client.listGroupsPage());
    assert.ok(slow instanceof LevelNetworkError);
    assert.equal(slow.causeCode, 'timeout');
    assert.equal(slow.message, 'Could not reach Level: request timed out after 100 ms');
    assert.equal(client.requestCount, 2);
    simulator.latencyMs = 0;
    simulator.faults.inject({ kind: 'hang', pathPrefix: '/v2/alerts' });
    const alerts = await clientFor(simulator, { timeoutMs: 100 }).listAlertsPage();
    assert.equal(alerts.data.length, 2);
  });

  it('applies path-scoped faults only to that path', async () => {
    simulator.faults.inject({ status: 500, times: 2, pathPrefix: '/v2/devices' });
    const client = clientFor(simulator, { maxRetries: 0 });
    assert.equal((await client.listGroupsPage()).data.length, 4);
    assert.ok((await rejection(client.listDevicesPage())) instanceof LevelServerError);
    assert.equal(simulator.faults.pending, 1);
  });
});
