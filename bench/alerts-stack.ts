// The production topology for the alerts benchmark: `api/main.ts` (API + inbox relay) and
// `worker/main.ts` each in their own processes (BENCH_APIS and BENCH_WORKERS of them, default 1
// each; the workers share one task queue), against the Temporal server BENCH_TEMPORAL names and a
// scratch PostgreSQL database, plus the probe worker of the floor (bench/probe-worker.ts, its own
// task queue). The benchmark process only sends webhooks and reads results, so its own event
// loop does not slow the service it measures.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createScratchDatabase, dropScratchDatabase } from '../db/scratch-database';
import { openOrm, type Orm } from '../db/orm';
import { freePort } from '../devserver/free-port';
import { stopChild } from '../devserver/stop-child';
import { benchTemporal } from './bench-temporal';
import { generateMasterKey } from '../security/secret-box';
import type { apiAs } from '../test/support/http';
import { WORKER_NODE_FLAGS } from '../worker/node-flags';

export interface AlertsStack {
  /** The first API process (setup calls go there). */
  apiUrl: string;
  /** Every API process, in start order. */
  apiUrls: string[];
  taskQueue: string;
  /** Where the floor's probe workflow runs (bench/probe-worker.ts). */
  probeTaskQueue: string;
  orm: Orm;
  temporalClient: Client;
  /** Which Temporal server (BENCH_TEMPORAL: dev server, real server on PostgreSQL, an address). */
  temporalLabel: string;
  /** Process ids, for the CPU breakdown. */
  pids: { apis: number[]; workers: number[]; probeWorker: number; temporal: number | undefined };
  stop(): Promise<void>;
}

export async function startAlertsStack(): Promise<AlertsStack> {
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((err: unknown) => console.error('cleanup failed:', (err as Error).message));
  };
  try {
    const temporal = await benchTemporal(cleanups);
    const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    const dbName = `levelsync_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    const databaseUrl = await createScratchDatabase(serverUrl, dbName);
    cleanups.push(() => dropScratchDatabase(serverUrl, dbName));
    const env = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      MASTER_KEY: generateMasterKey(),
      TEMPORAL_TASK_QUEUE: `bench-alerts-${randomBytes(3).toString('hex')}`,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LEVEL_REQUESTS_PER_MINUTE: '60000',
      LEVEL_ALLOWED_HOSTS: '127.0.0.1',
    };
    // The first API applies the migrations; the others and the workers start once the schema is there.
    const apis: Array<{ pid: number; url: string }> = [];
    for (let i = 0; i < count('BENCH_APIS'); i++) {
      const port = await freePort();
      const api = startProcess('api/main.ts', { ...env, PORT: String(port) });
      cleanups.push(api.stop);
      apis.push({ pid: api.pid, url: `http://127.0.0.1:${port}` });
      await waitUntilReady(apis[i]!.url);
    }
    const workers: number[] = [];
    for (let i = 0; i < count('BENCH_WORKERS'); i++) {
      const worker = startProcess('worker/main.ts', { ...env, WORKER_METRICS_PORT: String(await freePort()) });
      cleanups.push(worker.stop);
      workers.push(worker.pid);
    }
    const probeTaskQueue = `${env.TEMPORAL_TASK_QUEUE}-probe`;
    const probeWorker = startProcess('bench/probe-worker.ts', { ...env, PROBE_TASK_QUEUE: probeTaskQueue });
    cleanups.push(probeWorker.stop);
    const orm = await openOrm(databaseUrl);
    cleanups.push(() => orm.close());
    const connection = await Connection.connect({ address: temporal.address });
    cleanups.push(() => connection.close());
    const pids = { apis: apis.map((a) => a.pid), workers, probeWorker: probeWorker.pid, temporal: temporal.pid };
    return {
      temporalLabel: temporal.label,
      apiUrl: apis[0]!.url,
      apiUrls: apis.map((a) => a.url),
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      probeTaskQueue,
      orm,
      temporalClient: new Client({ connection }),
      pids,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** How many processes of a kind (BENCH_APIS, BENCH_WORKERS): 1 by default. */
function count(name: string): number {
  const value = Number(process.env[name] ?? 1);
  if (!Number.isInteger(value) || value < 1 || value > 8)
    throw new Error(`${name} takes 1 to 8 (got ${process.env[name]})`);
  return value;
}

/** A service entry point (or a bench script) in its own process. */
export function startProcess(script: string, env: NodeJS.ProcessEnv): { pid: number; stop: () => Promise<void> } {
  // BENCH_CPU_PROFILE=<dir>: each process writes a V8 CPU profile there when it exits.
  const profile = process.env.BENCH_CPU_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`]
    : [];
  // The worker runs with the production worker's flags; BENCH_NODE_FLAGS adds more (to compare).
  const flags =
    script === 'worker/main.ts' || script === 'bench/probe-worker.ts'
      ? [...WORKER_NODE_FLAGS, ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])]
      : [];
  const child = spawn(process.execPath, [...flags, ...profile, '--import', 'tsx', join(__dirname, '..', script)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { pid: child.pid ?? 0, stop: () => stopChild(child, 15_000) };
}

export async function waitUntilReady(apiUrl: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const ready = await fetch(`${apiUrl}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the API did not become ready within 120 s');
}

/** The body of a setup call to the API; a refused or failed one ends the bench. */
export async function expectOk(promise: Promise<{ status: number; body: any }>): Promise<any> {
  const answer = await promise;
  if (answer.status >= 300 || answer.body?.status === 'failed')
    throw new Error(`setup call failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/**
 * Runs one of the tenant's operations to its end: `?wait=true` answers "running" when the run
 * outlasts the API's wait (a loaded machine), so the run is then read until it ends. A failed
 * run ends the bench.
 */
export async function runToEnd(api: ReturnType<typeof apiAs>, path: string): Promise<any> {
  let run = await expectOk(api.post(`${path}?wait=true`));
  while (run.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 500));
    run = await expectOk(api.get(`/api/v1/runs/${encodeURIComponent(run.workflowId as string)}`));
  }
  return run;
}

/** Resolves at `at` (epoch ms), at once when that has passed: paces the sends. */
export function sleepUntil(at: number): Promise<void> {
  const ms = at - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
