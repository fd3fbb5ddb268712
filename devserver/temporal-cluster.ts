// A real Temporal server on PostgreSQL (the production topology, without Docker): the server and
// its SQL tool built from the Go module proxy (devserver/go-binaries.ts), its two databases
// created and migrated with the schemas that ship in the server's module, a config with its own
// ports, the server and the standalone Web UI started in the background, the namespace and our
// search attributes registered. The processes outlive the command; `stopCluster` ends them.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { ensureGoBinary, goModuleDir, type GoBinary } from './go-binaries';

const execFileAsync = promisify(execFile);

export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The Web UI version the Temporal CLI v1.5.1 embeds: operators see the same UI as with `npm start`. */
export const TEMPORAL_UI_VERSION = 'v2.42.1';
/** The server's SQL plugin for PostgreSQL 12 and later (docker-compose.yml's `DB` says the same). */
export const SQL_PLUGIN = 'postgres12';

const SERVER: GoBinary = {
  cacheName: 'temporal-server',
  packagePath: 'go.temporal.io/server/cmd/server',
  version: TEMPORAL_SERVER_VERSION,
  binary: 'server',
};
const SQL_TOOL: GoBinary = {
  cacheName: 'temporal-server',
  packagePath: 'go.temporal.io/server/cmd/tools/sql',
  version: TEMPORAL_SERVER_VERSION,
  binary: 'sql',
};
const UI_SERVER: GoBinary = {
  cacheName: 'temporal-ui',
  packagePath: 'github.com/temporalio/ui-server/v2/cmd/server',
  version: TEMPORAL_UI_VERSION,
  binary: 'server',
};

export interface ClusterOptions {
  /** Any database URL on the PostgreSQL server to use; the cluster's databases are created beside it. */
  databaseUrl: string;
  /** Where config, logs and the state file live. */
  dir: string;
  /** The frontend's gRPC port; the other services use the next ports (see servicePorts). */
  port: number;
  /** The Web UI's port; 0: no UI. */
  uiPort: number;
  namespace: string;
  databases: { main: string; visibility: string };
  log: (line: string) => void;
}

export interface ClusterState {
  address: string;
  uiUrl: string | null;
  pids: number[];
  databases: { main: string; visibility: string };
}

export async function startCluster(options: ClusterOptions): Promise<ClusterState> {
  servicePorts(options.port); // refuses a port the server cannot use, before anything is built
  const existing = readState(options.dir);
  if (existing && existing.pids.every(isAlive)) return existing;
  const [server, sqlTool, moduleDir] = await Promise.all([
    ensureGoBinary(SERVER, options.log),
    ensureGoBinary(SQL_TOOL, options.log),
    goModuleDir('go.temporal.io/server', TEMPORAL_SERVER_VERSION),
  ]);
  mkdirSync(join(options.dir, 'config', 'dynamicconfig'), { recursive: true });
  await migrateDatabases(sqlTool, moduleDir, options);
  writeServerConfig(options);
  const pids = [
    startDetached(
      server,
      ['--root', options.dir, '--config', 'config', '--env', 'cluster', '--allow-no-auth', 'start'],
      options.dir,
      'server.log',
    ),
  ];
  const address = `127.0.0.1:${options.port}`;
  await prepareNamespace(address, options);
  let uiUrl: string | null = null;
  if (options.uiPort > 0) {
    const ui = await ensureGoBinary(UI_SERVER, options.log);
    writeUiConfig(options, address);
    pids.push(startDetached(ui, ['--root', options.dir, '--env', 'ui', 'start'], options.dir, 'ui.log'));
    uiUrl = `http://127.0.0.1:${options.uiPort}`;
  }
  const state: ClusterState = { address, uiUrl, pids, databases: options.databases };
  writeFileSync(statePath(options.dir), JSON.stringify(state, null, 2));
  return state;
}

export async function stopCluster(dir: string): Promise<boolean> {
  const state = readState(dir);
  if (!state) return false;
  await Promise.all(state.pids.map((pid) => stopPid(pid)));
  rmSync(statePath(dir), { force: true });
  return true;
}

/** Stops the cluster and drops its databases and files: the next start begins empty. */
export async function resetCluster(options: Pick<ClusterOptions, 'databaseUrl' | 'dir' | 'databases'>): Promise<void> {
  await stopCluster(options.dir);
  const { Client } = await import('pg');
  const client = new Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    for (const name of [options.databases.main, options.databases.visibility])
      await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
  rmSync(options.dir, { recursive: true, force: true });
}

export function readState(dir: string): ClusterState | null {
  return existsSync(statePath(dir)) ? (JSON.parse(readFileSync(statePath(dir), 'utf8')) as ClusterState) : null;
}

// --- databases -------------------------------------------------------------------------------

/** `create` (if missing), `setup-schema -v 0.0` (if new) and `update-schema` for both databases. */
async function migrateDatabases(sqlTool: string, moduleDir: string, options: ClusterOptions): Promise<void> {
  const pg = new URL(options.databaseUrl);
  const connection = [
    '--plugin',
    SQL_PLUGIN,
    '--ep',
    pg.hostname,
    '-p',
    pg.port || '5432',
    '-u',
    decodeURIComponent(pg.username || 'postgres'),
  ];
  if (pg.password) connection.push('--pw', decodeURIComponent(pg.password));
  const schemas = { [options.databases.main]: 'temporal', [options.databases.visibility]: 'visibility' };
  for (const [database, schema] of Object.entries(schemas)) {
    const tool = (...args: string[]) => execFileAsync(sqlTool, [...connection, '--db', database, ...args]);
    await tool('create').catch((err: Error) => {
      if (!/already exists/.test(String((err as { stderr?: string }).stderr ?? err.message))) throw err;
    });
    await tool('setup-schema', '-v', '0.0').catch((err: Error) => {
      if (!/already exists|schema_version/.test(String((err as { stderr?: string }).stderr ?? err.message))) throw err;
    });
    await tool('update-schema', '-d', join(moduleDir, 'schema', 'postgresql', 'v12', schema, 'versioned'));
    options.log(`database ${database}: Temporal ${schema} schema up to date`);
  }
}

// --- config ----------------------------------------------------------------------------------

/** Ports of a cluster whose frontend listens on `port`. */
export function servicePorts(port: number) {
  // The server stores membership ports in a PostgreSQL smallint: past 32767 it cannot start.
  if (port + 13 > 32_767)
    throw new Error(
      `the cluster port must be below ${32_767 - 13} (the server keeps membership ports as smallint), not ${port}`,
    );
  return {
    frontend: port,
    history: port + 1,
    matching: port + 2,
    worker: port + 3,
    http: port + 4,
    membership: port + 10,
    metrics: port + 20,
    pprof: port + 21,
  };
}

/** The server's config (JSON is YAML): the module's development-postgres12 sample with our ports and databases. */
function writeServerConfig(options: ClusterOptions): void {
  const pg = new URL(options.databaseUrl);
  const ports = servicePorts(options.port);
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: SQL_PLUGIN,
      databaseName,
      connectAddr: `${pg.hostname}:${pg.port || '5432'}`,
      connectProtocol: 'tcp',
      user: decodeURIComponent(pg.username || 'postgres'),
      password: decodeURIComponent(pg.password),
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: object = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  const config = {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: 4,
      datastores: { default: store(options.databases.main, 20), visibility: store(options.databases.visibility, 4) },
    },
    global: {
      membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' },
      pprof: { port: ports.pprof },
      metrics: {
        prometheus: { framework: 'tally', timerType: 'histogram', listenAddress: `127.0.0.1:${ports.metrics}` },
      },
    },
    services: {
      frontend: service(ports.frontend, ports.membership, { httpPort: ports.http }),
      history: service(ports.history, ports.membership + 1),
      matching: service(ports.matching, ports.membership + 2),
      worker: service(ports.worker, ports.membership + 3),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: {
      filepath: join(resolve(options.dir), 'config', 'dynamicconfig', 'cluster.yaml'),
      pollInterval: '10s',
    },
  };
  writeFileSync(join(options.dir, 'config', 'cluster.yaml'), JSON.stringify(config, null, 2));
  // Update-with-start, as the service uses it; ids as long as the dev server allows.
  const dynamic = {
    'frontend.enableExecuteMultiOperation': [{ value: true }],
    'limit.maxIDLength': [{ value: 1000, constraints: {} }],
  };
  writeFileSync(join(options.dir, 'config', 'dynamicconfig', 'cluster.yaml'), JSON.stringify(dynamic, null, 2));
}

function writeUiConfig(options: ClusterOptions, address: string): void {
  const config = {
    temporalGrpcAddress: address,
    host: '127.0.0.1',
    port: options.uiPort,
    enableUi: true,
    defaultNamespace: options.namespace,
    cors: { allowOrigins: [] },
  };
  writeFileSync(join(options.dir, 'config', 'ui.yaml'), JSON.stringify(config, null, 2));
}

// --- processes -------------------------------------------------------------------------------

function startDetached(binary: string, args: string[], dir: string, logFile: string): number {
  const out = openSync(join(dir, logFile), 'a');
  const child = spawn(binary, args, { cwd: dir, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${binary}`);
  return child.pid;
}

/** Waits for SERVING, registers the namespace (if new) and our search attributes. */
async function prepareNamespace(address: string, options: ClusterOptions): Promise<void> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.healthService.check({});
        await registerNamespace(connection, options.namespace);
        await registerSearchAttributes(connection, options.namespace);
        options.log(`Temporal server SERVING on ${address}, namespace ${options.namespace} ready`);
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(
          `the Temporal server did not come up (see ${join(options.dir, 'server.log')}): ${(err as Error).message}`,
        );
      await new Promise((done) => setTimeout(done, 500));
    }
  }
}

async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('3 days'),
    });
  } catch (err) {
    if ((err as { code?: number }).code !== 6) throw err; // ALREADY_EXISTS
  }
  // The frontend answers for a new namespace once its registry has refreshed.
  await connection.workflowService.describeNamespace({ namespace });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopPid(pid: number, graceMs = 10_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

function statePath(dir: string): string {
  return join(dir, 'cluster.json');
}
