// The production topology for the fault matrix: a real Temporal server on PostgreSQL
// (devserver/temporal-cluster.ts), two API processes and two workers on one task queue, each a
// real `api/main.ts` / `worker/main.ts` process that a fault may SIGKILL and restart. Those
// processes reach PostgreSQL through a TCP proxy (test/support/tcp-proxy.ts) that a fault may cut; the Temporal
// server and the test's own checks reach it directly.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { openOrm, type Orm } from '../../db/orm';
import { createScratchDatabase, dropScratchDatabase } from '../../db/scratch-database';
import { freePort } from '../../devserver/free-port';
import { stopChild } from '../../devserver/stop-child';
import {
  readState,
  resetCluster,
  startCluster,
  stopCluster,
  type ClusterOptions,
} from '../../devserver/temporal-cluster';
import { generateMasterKey } from '../../security/secret-box';
import { WORKER_NODE_FLAGS } from '../../worker/node-flags';
import { proxyDatabase, type TcpProxy } from '../support/tcp-proxy';

export interface ServiceProcess {
  name: string;
  url?: string;
  /** Every line the process wrote (the secrets check reads them). */
  output: string[];
  /** How the process ended when nobody asked it to (a crash), else null. */
  unexpectedExit(): string | null;
  kill(signal?: NodeJS.Signals): void;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface Topology {
  apis: ServiceProcess[];
  workers: ServiceProcess[];
  orm: Orm;
  temporal: Client;
  masterKey: string;
  /** Kills the Temporal server (SIGKILL) and starts it again after `downMs`. */
  temporalOutage(downMs: number): Promise<void>;
  /**
   * PostgreSQL goes away for the API and worker processes: every connection they hold is cut and
   * new ones are refused for `downMs`, then accepted again (the proxy in front of it).
   */
  databaseOutage(downMs: number): Promise<void>;
  databaseProxy: TcpProxy;
  stop(): Promise<void>;
}

const ROOT = resolve(__dirname, '..', '..');

export async function startTopology(): Promise<Topology> {
  const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const cluster: ClusterOptions = {
    databaseUrl: serverUrl,
    dir: join(ROOT, '.data', 'faults-cluster'),
    port: Number(process.env.FAULTS_TEMPORAL_PORT ?? 27233),
    uiPort: 0,
    namespace: 'default',
    databases: { main: 'temporal_faults', visibility: 'temporal_faults_visibility' },
    log: (line) => console.error(`      [cluster] ${line}`),
  };
  await resetCluster(cluster);
  const state = await startCluster(cluster);
  const dbName = `levelsync_faults_${process.pid}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = await createScratchDatabase(serverUrl, dbName);
  const { proxy: databaseProxy, url: proxiedUrl } = await proxyDatabase(databaseUrl);
  const masterKey = generateMasterKey();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: proxiedUrl,
    TEMPORAL_ADDRESS: state.address,
    MASTER_KEY: masterKey,
    TEMPORAL_TASK_QUEUE: `faults-${randomBytes(3).toString('hex')}`,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LEVEL_REQUESTS_PER_MINUTE: '60000',
    LEVEL_ALLOWED_HOSTS: '127.0.0.1',
    WORKER_NICENESS: '0',
  };
  const apis = [await service('api-1', 'api/main.ts', env), await service('api-2', 'api/main.ts', env)];
  await Promise.all(apis.map((api) => waitUntilReady(api.url!)));
  const workers = [await service('worker-1', 'worker/main.ts', env), await service('worker-2', 'worker/main.ts', env)];
  const orm = await openOrm(databaseUrl);
  const connection = await Connection.connect({ address: state.address });
  return {
    apis,
    workers,
    orm,
    temporal: new Client({ connection }),
    masterKey,
    databaseProxy,
    databaseOutage: (downMs) => databaseProxy.outage(downMs),
    async temporalOutage(downMs) {
      for (const pid of readState(cluster.dir)?.pids ?? []) process.kill(pid, 'SIGKILL');
      await new Promise((done) => setTimeout(done, downMs));
      await startCluster(cluster);
    },
    async stop() {
      for (const process of [...workers, ...apis]) await process.stop();
      await connection.close();
      await orm.close();
      await databaseProxy.close();
      await dropScratchDatabase(serverUrl, dbName);
      await stopCluster(cluster.dir);
    },
  };
}

async function service(name: string, script: string, baseEnv: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const port = await freePort();
  const env = { ...baseEnv, PORT: String(port), WORKER_METRICS_PORT: String(await freePort()) };
  const flags = script.startsWith('worker') ? WORKER_NODE_FLAGS : [];
  const output: string[] = [];
  let child: ChildProcess;
  let ending = false;
  let crashed: string | null = null;
  const start = () => {
    ending = false;
    const started = spawn(process.execPath, [...flags, '--import', 'tsx', join(ROOT, script)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('exit', (code, signal) => {
      if (!ending && child === started) crashed ??= `${name} exited by itself (${signal ?? `code ${code}`})`;
    });
  };
  start();
  const url = script.startsWith('api') ? `http://127.0.0.1:${port}` : undefined;
  return {
    name,
    ...(url ? { url } : {}),
    output,
    unexpectedExit: () => crashed,
    kill: (signal = 'SIGKILL') => {
      ending = true;
      child.kill(signal);
    },
    async restart() {
      ending = true;
      await stopChild(child, 1000);
      start();
      if (url) await waitUntilReady(url);
    },
    stop: () => {
      ending = true;
      return stopChild(child, 15_000);
    },
  };
}

export async function waitUntilReady(apiUrl: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${apiUrl}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`${apiUrl} did not become ready within 120 s`);
}
