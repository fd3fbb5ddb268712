// /metrics after real flows: a device sync and a webhook that becomes a ticket, closed by its
// resolve, and another closed by a person. Counters are compared before and after (other suites
// share the process), on the API's endpoint and on the worker's (with the Temporal SDK's own).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { ALERT_EVENT_SIGNAL } from '../../contracts/alerts';
import { ALERT_LIFECYCLE_WORKFLOW } from '../../contracts/workflows';
import { freePort } from '../../devserver/free-port';
import type { LevelSimulator } from '../../simulator';
import { startMetricsServer, stopMetricsServer } from '../../metrics/metrics-server';
import {
  alertRow,
  alertTenant,
  BASE,
  LOOSE_DEVICE,
  startAlertSimulator,
  templateBody,
  waitFor,
  type AlertTenant,
} from '../alerts/fixture';
import { serveApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { delta, deltaSum, parseSamples, type Samples } from './prometheus-text';

const TOKEN = 'metrics-token-for-the-test-0123456789';
const DOCS = join(__dirname, '..', '..', 'docs');

describe('metrics', function () {
  let env: TestEnv;
  let simulator: LevelSimulator;
  let t: AlertTenant;
  let worker: Server;
  let workerUrl: string;

  before(async function () {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    t = await alertTenant(env, simulator);
    // As worker/main.ts serves it (here the worker shares the test process with the API).
    const port = await freePort();
    worker = await startMetricsServer({ port, host: '127.0.0.1', token: TOKEN });
    workerUrl = `http://127.0.0.1:${port}/metrics`;
  });
  after(async () => {
    await stopMetricsServer(worker);
    await simulator?.close();
  });

  const scrape = async (url: string, token?: string): Promise<Samples> => {
    const response = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    return parseSamples(await response.text());
  };
  const scrapeApi = () => scrape(`${env.apiUrl}/metrics`);
  const scrapeWorker = () => scrape(workerUrl, TOKEN);

  it('counts a device sync and its Level requests, on the worker endpoint', async () => {
    const before = await scrapeWorker();
    const run = await t.api.post(`${BASE}/device-sync?wait=true`);
    assert.equal(run.body.status, 'completed', JSON.stringify(run.body));
    const result = run.body.result as { created: number; levelRequests: number };
    const after = await scrapeWorker();

    assert.equal(delta(before, after, 'levelsync_device_sync_runs_total', { outcome: 'completed' }), 1);
    assert.equal(result.created, 1);
    assert.equal(delta(before, after, 'levelsync_device_sync_devices_total', { result: 'created' }), 1);
    assert.ok(result.levelRequests >= 1);
    assert.equal(
      delta(before, after, 'levelsync_level_requests_total', { operation: 'GET /v2/devices', status: '200' }),
      result.levelRequests,
    );
    assert.ok(deltaSum(before, after, 'levelsync_level_budget_wait_seconds_count') >= result.levelRequests);
    // The Temporal SDK's own metrics, through the Core runtime's exporter.
    assert.ok(
      deltaSum(before, after, 'temporal_workflow_completed_total') >= 1,
      'the SDK counted the completed sync run',
    );
    assert.ok(
      [...after.keys()].some((key) => key.startsWith('temporal_activity_execution_latency_seconds')),
      'activity latencies are exported',
    );
  });

  it('counts a webhook that opens a ticket, its auto-close and a refused request, on the API endpoint', async () => {
    const before = await scrapeApi();
    const body = templateBody();
    const accepted = await t.post(body);
    assert.equal(accepted.status, 202);
    assert.equal((await t.post(templateBody(), { 'x-alga-webhook-secret': 'wrong' })).status, 401);
    const ticketId = await waitFor(
      'the ticket',
      async () => (await alertRow(env, t.tenantId, body.alert_id as string))?.ticketId,
    );
    assert.equal(
      (await t.post({ ...body, event: 'alert.resolved', occurred_at: new Date(Date.now() + 1000).toISOString() }))
        .status,
      202,
    );
    await waitFor('auto-close', async () => (await t.api.get(`/api/v1/tickets/${ticketId}`)).body.status === 'closed');
    const after = await scrapeApi();

    assert.equal(
      delta(before, after, 'levelsync_webhook_deliveries_total', { source: 'automation', outcome: 'accepted' }),
      2,
    );
    assert.equal(
      delta(before, after, 'levelsync_webhook_deliveries_total', { source: 'automation', outcome: 'unauthorized' }),
      1,
    );
    assert.equal(deltaSum(before, after, 'levelsync_webhook_accept_seconds_count'), 2);
    assert.equal(deltaSum(before, after, 'levelsync_webhook_accept_seconds_count', { durable_in: 'nowhere' }), 0);
    assert.equal(delta(before, after, 'levelsync_alert_routings_total', { outcome: 'ticket' }), 1);
    assert.equal(delta(before, after, 'levelsync_tickets_total', { event: 'opened' }), 1);
    assert.equal(delta(before, after, 'levelsync_tickets_total', { event: 'auto_closed' }), 1);
    assert.equal(after.get('levelsync_inbox_oldest_age_seconds') !== undefined, true);
    assert.ok(after.has('levelsync_inbox_rows{status="pending"}'));
    assert.ok(after.has('process_cpu_seconds_total'), "Node's default metrics");
    assert.ok(after.get('levelsync_mapped_devices')! >= 1, 'the synced device counts as mapped');
    assert.equal(after.get('levelsync_database_up'), 1, 'the database answered the scrape');
  });

  it('counts a ticket a person closed and an alert on a device of no client', async () => {
    const opened = templateBody();
    await t.post(opened);
    const ticketId = await waitFor(
      'the ticket',
      async () => (await alertRow(env, t.tenantId, opened.alert_id as string))?.ticketId,
    );
    const before = await scrapeApi();
    assert.equal((await t.api.patch(`/api/v1/tickets/${ticketId}`, { status: 'closed' })).status, 200);
    const loose = templateBody({ device_id: LOOSE_DEVICE, hostname: 'LOOSE-1', group_id: 'un+mapped' });
    assert.equal((await t.post(loose)).status, 202);
    await waitFor('the unmapped alert routed', () => alertRow(env, t.tenantId, loose.alert_id as string));
    const after = await scrapeApi();
    assert.equal(delta(before, after, 'levelsync_tickets_total', { event: 'closed' }), 1);
    assert.equal(delta(before, after, 'levelsync_alert_routings_total', { outcome: 'unmapped' }), 1);
    assert.equal(delta(before, after, 'levelsync_alert_routings_total', { outcome: 'ticket' }), 0);
  });

  it('serves the inbox backlog: rows waiting and the age of the oldest', async () => {
    const resume = await env.pauseRelay();
    const knex = env.orm.em.getKnex();
    const id = randomUUID();
    try {
      const before = await scrapeApi();
      // An event the relay has not delivered for ten minutes (the relay is paused meanwhile).
      await knex('webhook_inbox').insert({
        id,
        tenant_id: t.tenantId,
        event_id: `metrics-${id}`,
        workflow_id: `level/${t.tenantId}/alert/metrics-${id}`,
        workflow_type: ALERT_LIFECYCLE_WORKFLOW,
        workflow_args: JSON.stringify([]),
        signal_name: ALERT_EVENT_SIGNAL,
        signal_args: JSON.stringify([]),
        status: 'pending',
        created_at: knex.raw(`now() - interval '10 minutes'`),
      });
      const after = await scrapeApi();
      assert.equal(delta(before, after, 'levelsync_inbox_rows', { status: 'pending' }), 1);
      assert.ok(
        after.get('levelsync_inbox_oldest_age_seconds')! >= 600,
        String(after.get('levelsync_inbox_oldest_age_seconds')),
      );
    } finally {
      await knex('webhook_inbox').where({ id }).delete();
      resume();
    }
  });

  it('asks for METRICS_TOKEN when set, on both endpoints', async () => {
    assert.equal((await fetch(workerUrl)).status, 401);
    assert.equal(
      (await fetch(workerUrl, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status,
      401,
    );
    const guarded = await serveApp(
      createApp({ ...env.services, logger: env.logger, config: { ...env.config, metricsToken: TOKEN } }),
    );
    try {
      assert.equal((await fetch(`${guarded.url}/metrics`)).status, 401);
      const allowed = await fetch(`${guarded.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      assert.equal(allowed.status, 200);
      assert.match(await allowed.text(), /levelsync_webhook_deliveries_total/);
    } finally {
      await guarded.close();
    }
    const moved = await serveApp(
      createApp({ ...env.services, logger: env.logger, config: { ...env.config, metricsPort: 9 } }),
    );
    try {
      assert.equal((await fetch(`${moved.url}/metrics`)).status, 404, 'METRICS_PORT moves /metrics off the API port');
    } finally {
      await moved.close();
    }
  });

  // Last: the flows above have run, so every family (the SDK's included) has samples.
  it('names only existing metrics in docs/grafana-dashboard.json and docs/alerts.yml', async () => {
    const scraped = new Set(
      [...(await scrapeApi()).keys(), ...(await scrapeWorker()).keys()].map((key) => key.split('{')[0]!),
    );
    const dashboard = JSON.parse(readFileSync(join(DOCS, 'grafana-dashboard.json'), 'utf8')) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>;
    };
    const dashboardExprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
    const rules = parseYaml(readFileSync(join(DOCS, 'alerts.yml'), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
    };
    const ruleExprs = rules.groups.flatMap((group) => group.rules.map((rule) => rule.expr));
    assert.ok(dashboardExprs.length >= 15 && ruleExprs.length >= 3);
    for (const expected of ['LevelSyncInboxBacklogOld', 'LevelApiKeyRejected', 'LevelSyncNoWebhooks']) {
      assert.ok(
        rules.groups[0]!.rules.some((rule) => rule.alert === expected),
        expected,
      );
    }
    const named = new Set(
      [...dashboardExprs, ...ruleExprs].flatMap((expr) =>
        [...expr.matchAll(/\b(?:levelsync|temporal|process|nodejs)_[a-z0-9_]+/g)].map((m) => m[0]),
      ),
    );
    assert.ok(named.size >= 15, [...named].join(', '));
    const missing = [...named].filter((name) => !scraped.has(name));
    assert.deepEqual(missing, [], `named but never exported: ${missing.join(', ')}`);
  });
});
