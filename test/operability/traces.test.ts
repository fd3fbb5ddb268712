// One trace from an HTTP request to the Level calls it caused: a webhook → the alert's run → the
// activity that looks the device up → GET /v2/devices/:id, and an admin device sync → its run →
// the chunk activity → GET /v2/devices. A traced worker and API of their own (tracing is set up
// per process), spans kept in memory; no secret in any attribute. Turning tracing on must not
// break the replay of runs recorded without it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createApp } from '../../api/app';
import type { LevelSimulator } from '../../simulator';
import { TemporalGateway } from '../../temporal/connection';
import { startTracing, type Tracing } from '../../tracing/tracing';
import { workerTracing } from '../../tracing/worker-tracing';
import { createWorker, workflowBundle } from '../../worker/create-worker';
import {
  alertRow,
  alertTenant,
  BASE,
  startAlertSimulator,
  templateBody,
  waitFor,
  type AlertTenant,
} from '../alerts/fixture';
import { apiAs, call, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('traces', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let t: AlertTenant;
  let tracing: Tracing;
  let exporter: InMemorySpanExporter;
  let gateway: TemporalGateway;
  let worker: Worker;
  let running: Promise<void>;
  let api: ServedApp;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    t = await alertTenant(env, simulator);
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ spanProcessor: new SimpleSpanProcessor(exporter), serviceName: 'levelsync-test' })!;
    const taskQueue = `traced-${randomBytes(3).toString('hex')}`;
    gateway = new TemporalGateway(env.config.temporalAddress!, env.config.temporalNamespace);
    const logger = env.logger;
    worker = await createWorker({
      connection: await gateway.connection(),
      namespace: env.config.temporalNamespace,
      taskQueue,
      logger,
      deps: {
        orm: env.orm,
        secretBox: env.services.secretBox,
        logger,
        levelRequestsPerMinute: 60_000,
        levelHosts: env.config.levelHosts,
      },
    });
    running = worker.run();
    api = await serveApp(
      createApp({ ...env.services, temporal: gateway, logger, config: { ...env.config, taskQueue } }),
    );
  });

  after(async () => {
    worker?.shutdown();
    await running?.catch(() => undefined);
    await api?.close();
    await gateway?.close();
    await tracing?.shutdown();
    await simulator?.close();
  });

  /** The chain of span names from `span` up to the root. */
  const ancestry = (span: ReadableSpan, spans: ReadableSpan[]): string[] => {
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const names: string[] = [];
    for (let at: ReadableSpan | undefined = span; at; at = at.parentSpanId ? byId.get(at.parentSpanId) : undefined)
      names.push(at.name);
    return names.reverse();
  };

  it('follows a webhook to the Level call it caused', async () => {
    exporter.reset();
    const body = templateBody();
    const webhookPath = `/webhooks/level/${t.webhookId}`;
    const accepted = await call(api.url, 'POST', webhookPath, {
      rawBody: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    await waitFor('the ticket', async () => (await alertRow(env, t.tenantId, body.alert_id as string))?.ticketId);
    const spans = await waitFor('the Level span', async () => {
      const all = exporter.getFinishedSpans();
      return all.some((s) => s.name === 'Level GET /v2/devices/:id') ? all : null;
    });
    const level = spans.find((s) => s.name === 'Level GET /v2/devices/:id')!;
    // The alert's run stays open (it waits for the resolve), so its RunWorkflow span is not
    // finished yet: the chain is checked on both sides of it, in one trace.
    assert.deepEqual(ancestry(level, spans), [
      'StartActivity:lookUpAlertDevice',
      'RunActivity:lookUpAlertDevice',
      'Level GET /v2/devices/:id',
    ]);
    const http = spans.find((s) => s.name === 'POST /webhooks/level/:webhookId')!;
    const signal = spans.find((s) => s.name === 'SignalWithStartWorkflow:alertLifecycle')!;
    assert.equal(signal.parentSpanId, http.spanContext().spanId, 'the signal is made inside the webhook request');
    assert.equal(level.spanContext().traceId, http.spanContext().traceId, 'the Level call is in the webhook trace');
    const startActivity = spans.find((s) => s.name === 'StartActivity:lookUpAlertDevice')!;
    const runWorkflow = startActivity.parentSpanId;
    assert.ok(
      runWorkflow && !spans.some((s) => s.spanContext().spanId === runWorkflow),
      'scheduled by the (still open) workflow span',
    );
    assertNoSecrets(spans, [t.secret, t.apiKey, t.webhookId, t.token]);
  });

  it('follows an admin device sync to its Level calls', async () => {
    exporter.reset();
    const run = await apiAs(api.url, t.token).post(`${BASE}/device-sync?wait=true`);
    assert.equal(run.body.status, 'completed', JSON.stringify(run.body));
    const spans = await waitFor('the sync spans', async () => {
      const all = exporter.getFinishedSpans();
      return all.some((s) => s.name === 'Level GET /v2/devices') &&
        all.some((s) => s.name.startsWith('RunWorkflow:deviceSync'))
        ? all
        : null;
    });
    const chain = ancestry(
      spans.find((s) => s.name === 'Level GET /v2/devices')!,
      spans,
    ).filter((name) => !name.startsWith('StartActivity'));
    assert.deepEqual(
      chain,
      [
        'POST /api/v1/integrations/level/device-sync',
        'StartWorkflow:deviceSync',
        'RunWorkflow:deviceSync',
        'RunActivity:syncDeviceChunk',
        'Level GET /v2/devices',
      ],
      chain.join(' → '),
    );
    assertNoSecrets(spans, [t.apiKey, t.token]);
  });

  it('replays the committed histories with the traced workflow bundle', async () => {
    const fixtures = join(__dirname, '..', 'fixtures', 'histories');
    for (const file of readdirSync(fixtures).filter((name) => name.endsWith('.json'))) {
      const history = temporal.api.history.v1.History.fromObject(
        JSON.parse(readFileSync(join(fixtures, file), 'utf8')),
      );
      await Worker.runReplayHistory(
        {
          workflowBundle: await workflowBundle(true),
          sinks: workerTracing({ ...tracing, spanProcessor: new SimpleSpanProcessor(new InMemorySpanExporter()) })
            .sinks!,
        },
        history,
        file,
      );
    }
  });
});

function assertNoSecrets(spans: ReadableSpan[], secrets: string[]): void {
  const text = JSON.stringify(
    spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events.map((e) => e.attributes) })),
  );
  for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret in a span');
}
