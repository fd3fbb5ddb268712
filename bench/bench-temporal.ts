// Which Temporal server a benchmark runs against (BENCH_TEMPORAL): `dev` (default: the CLI's dev
// server on SQLite, started for the run), `cluster` (a real Temporal server on PostgreSQL,
// devserver/temporal-cluster.ts, started for the run on its own ports and databases), or a
// `host:port` already running. The bench's tables name which one they measured.
import { join, resolve } from 'node:path';
import { resetCluster, startCluster, stopCluster, type ClusterOptions } from '../devserver/temporal-cluster';
import { startTemporalDevServer } from '../devserver/temporal-dev-server';

export interface BenchTemporal {
  address: string;
  /** `dev server`, `real server (PostgreSQL)` or the address given. */
  label: string;
  /** The server's process id when the bench started it (its CPU time is reported). */
  pid: number | undefined;
}

export async function benchTemporal(
  cleanups: Array<() => Promise<unknown>>,
  fallbackAddress?: string,
): Promise<BenchTemporal> {
  const choice = process.env.BENCH_TEMPORAL ?? (fallbackAddress ? fallbackAddress : 'dev');
  if (choice === 'dev') {
    const server = await startTemporalDevServer({ log: (line) => console.error(line) });
    cleanups.push(() => server.stop());
    return { address: server.address, label: 'dev server', pid: server.pid };
  }
  if (choice === 'cluster') {
    const options: ClusterOptions = {
      databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      dir: join(resolve(__dirname, '..'), '.data', 'bench-cluster'),
      port: Number(process.env.BENCH_CLUSTER_PORT ?? 31233),
      uiPort: 0,
      namespace: 'default',
      databases: { main: 'temporal_bench', visibility: 'temporal_bench_visibility' },
      log: (line) => console.error(`[cluster] ${line}`),
    };
    await resetCluster(options);
    const state = await startCluster(options);
    cleanups.push(() => stopCluster(options.dir));
    return { address: state.address, label: 'real server (PostgreSQL)', pid: state.pids[0] };
  }
  return { address: choice, label: choice, pid: undefined };
}
