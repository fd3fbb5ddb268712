// A Temporal dev server for `npm start` and the tests: the CLI's `server start-dev`, started on
// the ports asked for and waited on until its frontend answers health checks (rather than the
// SDK's fixed five-second wait, which is flaky on a loaded two-core machine).
import { spawn, type ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS, SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { ensureTemporalCli } from './temporal-cli';
import { freePort } from './free-port';
import { stopChild } from './stop-child';

export interface DevServerOptions {
  port?: number;
  uiPort?: number;
  /** Persist to this SQLite file; in memory when absent. */
  dbFilename?: string;
  namespace?: string;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | undefined;
  /** The server's process id (benchmarks read its CPU time); absent for the SDK's download. */
  pid?: number;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  const cli = await ensureTemporalCli(process.env, options.log);
  if (!cli) return startWithSdkDownload(options);
  const port = options.port ?? (await freePort());
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  args.push('--namespace', options.namespace ?? 'default');
  args.push('--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true');
  for (const attribute of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${attribute.name}=${attribute.type}`);
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');

  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const address = `127.0.0.1:${port}`;
  try {
    await waitUntilHealthy(address, child, options.startTimeoutMs ?? 60_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not become healthy: ${(err as Error).message}\n${stderr}`);
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    ...(child.pid !== undefined ? { pid: child.pid } : {}),
    stop: () => stopChild(child),
  };
}

async function waitUntilHealthy(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('the server process exited');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.healthService.check({});
        // The frontend can answer health before the namespace is registered.
        await connection.workflowService.describeNamespace({ namespace: 'default' });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Last resort on machines with internet and no Go: the SDK downloads and runs the CLI. */
async function startWithSdkDownload(options: DevServerOptions): Promise<RunningDevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const uiPort = options.uiPort;
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      ui: uiPort !== undefined,
      uiPort,
      dbFilename: options.dbFilename,
      namespace: options.namespace,
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      extraArgs: ['--dynamic-config-value', 'frontend.enableExecuteMultiOperation=true'],
    },
  });
  const address = env.address;
  return { address, uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined, stop: () => env.teardown() };
}
