// Device Sync under stress: a worker killed mid-sync, 429 storms and 5xx bursts, concurrent
// requests, and the shared request budget.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import type { Knex } from '@mikro-orm/postgresql';
import { createPostgresRequestBudget } from '../../db/postgres-request-budget';
import { generateFleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { runSearchAttributes } from '../../contracts/search-attributes';
import { createWorker } from '../../worker/create-worker';
import type { DeviceSyncProgress } from '../../contracts/device-sync';
import { DEVICE_SYNC_WORKFLOW } from '../../contracts/workflows';
import { connectTenant, LEVEL } from '../support/level-tenant';
import { activityDepsOf, getTestEnv, type TestEnv } from '../support/test-env';

const key = () => `lvk_${randomBytes(12).toString('hex')}`;

describe('device sync resilience', function () {
  this.timeout(180_000);
  let env: TestEnv;
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
  });

  afterEach(async () => {
    await simulator?.close();
  });

  /** A tenant whose one root group (holding every device) is mapped. */
  async function tenantWithOneMappedRoot(devices: number) {
    simulator = await startLevelSimulator({
      apiKeys: [key()],
      fleet: generateFleet({ seed: 3, groups: 1, depth: 1, devices }),
    });
    const t = await connectTenant(env, simulator);
    await t.discover();
    const groups = (await t.api.get(`${LEVEL}/groups`)).body.items as Array<{ levelGroupId: string }>;
    const clientId = await t.createClient('Everyone');
    await t.map(groups[0]!.levelGroupId, clientId);
    const integrationId = (await t.api.get(LEVEL)).body.id as string;
    return { ...t, clientId, integrationId };
  }

  async function newWorker(taskQueue: string): Promise<{ worker: Worker; done: Promise<void> }> {
    const worker = await createWorker({
      connection: await env.services.temporal.connection(),
      namespace: env.config.temporalNamespace,
      taskQueue,
      logger: env.logger,
      deps: activityDepsOf(env),
    });
    return { worker, done: worker.run() };
  }

  it('resumes after the worker is killed mid-sync, with exact counts and no second full pass', async () => {
    const t = await tenantWithOneMappedRoot(3_000); // 30 pages
    simulator.latencyMs = 60;
    const taskQueue = `sync-kill-${randomUUID()}`;
    const first = await newWorker(taskQueue);
    const handle = await env.temporalClient.workflow.start(DEVICE_SYNC_WORKFLOW, {
      taskQueue,
      workflowId: `level/${t.tenant.tenantId}/device-sync`,
      args: [{ tenantId: t.tenant.tenantId, integrationId: t.integrationId }],
      typedSearchAttributes: runSearchAttributes(t.tenant.tenantId, 'device-sync'),
    });
    while (simulator.stats.countUnder('/v2/devices') < 14) await new Promise((r) => setTimeout(r, 50));
    first.worker.shutdown();
    await first.done;
    const pagesBeforeKill = simulator.stats.countUnder('/v2/devices');

    const second = await newWorker(taskQueue);
    try {
      const result = await handle.result();
      assert.equal(result.created, 3_000);
      assert.equal(result.failed, 0);
      const pages = simulator.stats.countUnder('/v2/devices');
      assert.ok(pagesBeforeKill < 30, 'the kill happened mid-sync');
      assert.ok(pages < 45, `a full sync is 30 pages; a restart from scratch would make ≥ 44, made ${pages}`);
      assert.equal((await t.assetIds(t.clientId)).length, 3_000);
    } finally {
      second.worker.shutdown();
      await second.done;
    }
  });

  it('continues as new before its history grows large, carrying its place and counts', async () => {
    const t = await tenantWithOneMappedRoot(700);
    const workflowId = `level/${t.tenant.tenantId}/device-sync`;
    const handle = await env.temporalClient.workflow.start(DEVICE_SYNC_WORKFLOW, {
      taskQueue: env.config.taskQueue,
      workflowId,
      args: [{ tenantId: t.tenant.tenantId, integrationId: t.integrationId, pagesPerChunk: 1, maxHistoryEvents: 20 }],
    });
    const result = await handle.result();
    assert.equal(result.created, 700);
    assert.equal(result.levelRequests, 7);
    assert.equal(simulator.stats.countUnder('/v2/devices'), 7, 'no page fetched twice across runs');
    const runs: string[] = [];
    for await (const execution of env.temporalClient.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
      runs.push(execution.status.name);
    assert.ok(runs.filter((status) => status === 'CONTINUED_AS_NEW').length >= 2, `runs: ${runs.join(', ')}`);
  });

  it('counts a bad device as failed without failing the run', async () => {
    const t = await tenantWithOneMappedRoot(50);
    const [badId] = simulator.fleet.sortedDeviceIds();
    simulator.fleet.updateDevice(badId!, { hostname: '', nickname: null });
    const result = await t.sync();
    assert.equal(result.created, 49);
    assert.equal(result.failed, 1);
    assert.ok(!(await t.assetIds(t.clientId)).includes(badId!));
  });

  it('completes through 429 storms and 5xx bursts', async () => {
    const t = await tenantWithOneMappedRoot(450);
    simulator.faults.inject({ status: 429, retryAfterSeconds: 1, times: 3, pathPrefix: '/v2/devices' });
    simulator.faults.inject({ status: 503, times: 3, pathPrefix: '/v2/devices' });
    simulator.faults.inject({ kind: 'html', status: 200, times: 2, pathPrefix: '/v2/devices' });
    simulator.faults.inject({ kind: 'reset', times: 2, pathPrefix: '/v2/devices' });
    const result = await t.sync();
    assert.equal(result.created, 450);
    assert.equal(simulator.faults.pending, 0, 'every fault fired');
    assert.equal(result.levelRequests, 5 + 10, 'every retried request is counted');
    assert.equal((await t.assetIds(t.clientId)).length, 450);
  });

  it('runs one sync per tenant: a second request answers the running run, with progress', async () => {
    const t = await tenantWithOneMappedRoot(1_500);
    // Progress moves by chunks (0, 1000, 1500): slow pages keep the run on its second chunk long
    // enough for a poll to see a value between.
    simulator.latencyMs = 200;
    const [a, b] = await Promise.all([t.api.post(`${LEVEL}/device-sync`), t.api.post(`${LEVEL}/device-sync`)]);
    const started = [a, b].find((r) => r.status === 202)!;
    const joined = [a, b].find((r) => r.status === 200)!;
    assert.ok(started && joined, `one start, one join: ${a.status} ${b.status}`);
    assert.equal(joined.body.alreadyRunning, true);
    assert.equal(joined.body.workflowId, started.body.workflowId);
    assert.equal(joined.body.runId, started.body.runId);

    let progress: DeviceSyncProgress | null = null;
    const runPath = `/api/v1/runs/${encodeURIComponent(started.body.workflowId)}`;
    for (let i = 0; i < 200 && !(progress && progress.processed > 0); i++) {
      const run = await t.api.get(runPath);
      if (run.body.status === 'running') progress = run.body.progress;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(progress, 'progress was visible while running');
    assert.equal(progress.expected, 1_500);
    assert.ok(progress.processed > 0 && progress.processed < 1_500);

    await env.temporalClient.workflow.getHandle(started.body.workflowId).result();
    const finished = await t.api.get(runPath);
    assert.equal(finished.body.status, 'completed');
    assert.equal(finished.body.result.created, 1_500);
    assert.equal(simulator.stats.countUnder('/v2/devices'), 15, 'one sync ran, not two');
  });

  it('shares one request budget between workers through PostgreSQL', async () => {
    const t = await tenantWithOneMappedRoot(1);
    const integrationId = (await t.api.get(LEVEL)).body.id as string;
    // Two "workers" (separate budget objects, separate connections) draw from one bucket of
    // 600 requests a minute (10/s) with a burst of 5: 25 requests cannot finish before 2 s.
    const options = { requestsPerMinute: 600, burst: 5 };
    const budgets = [
      createPostgresRequestBudget(env.em().getKnex(), integrationId, options),
      createPostgresRequestBudget(env.orm.em.fork().getKnex(), integrationId, options),
    ];
    const started = Date.now();
    await Promise.all(Array.from({ length: 25 }, (_, i) => budgets[i % 2]!.acquire()));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 1_900, `25 requests at 10/s after a burst of 5 took only ${elapsed} ms`);
  });

  it('leases tokens a few at a time when the rate is high, without overrunning it', async () => {
    const t = await tenantWithOneMappedRoot(1);
    const integrationId = (await t.api.get(LEVEL)).body.id as string;
    // 6,000 a minute (100/s) with a burst of 100: 200 requests cannot finish before 1 s. While
    // the bucket is full tokens are leased several at a time; once it runs dry, one at a time.
    const options = { requestsPerMinute: 6_000, burst: 100 };
    let reservations = 0;
    const counted = (knex: Knex) =>
      ({ raw: (...args: Parameters<Knex['raw']>) => ((reservations += 1), knex.raw(...args)) }) as unknown as Knex;
    const budgets = [
      createPostgresRequestBudget(counted(env.em().getKnex()), integrationId, options),
      createPostgresRequestBudget(counted(env.orm.em.fork().getKnex()), integrationId, options),
    ];
    const started = Date.now();
    for (let i = 0; i < 100; i++) await Promise.all(budgets.map((budget) => budget.acquire()));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 950, `200 requests at 100/s after a burst of 100 took only ${elapsed} ms`);
    assert.ok(reservations < 150, `${reservations} reservations for 200 requests: tokens were leased one at a time`);
  });
});
