// `npm run cluster [-- --stop | --reset]`: the production topology's Temporal without Docker: a
// real Temporal server on PostgreSQL (DATABASE_URL's server) and its Web UI, started in the
// background; prints TEMPORAL_ADDRESS. Then run `npm run start:api` and `npm run start:worker`
// (as many of each as wanted) against it. Settings: TEMPORAL_CLUSTER_PORT (17233),
// TEMPORAL_CLUSTER_UI_PORT (18233; 0 for none), TEMPORAL_CLUSTER_DB (temporal_cluster) and
// TEMPORAL_CLUSTER_VISIBILITY_DB (temporal_cluster_visibility), TEMPORAL_CLUSTER_DIR (.data/cluster).
import { resolve } from 'node:path';
import { resetCluster, startCluster, stopCluster, type ClusterOptions } from '../devserver/temporal-cluster';

function options(env: NodeJS.ProcessEnv): ClusterOptions {
  if (!env.DATABASE_URL)
    throw new Error('DATABASE_URL must name the PostgreSQL server the cluster keeps its databases on');
  return {
    databaseUrl: env.DATABASE_URL,
    dir: resolve(env.TEMPORAL_CLUSTER_DIR ?? '.data/cluster'),
    port: Number(env.TEMPORAL_CLUSTER_PORT ?? 17233),
    uiPort: Number(env.TEMPORAL_CLUSTER_UI_PORT ?? 18233),
    namespace: env.TEMPORAL_NAMESPACE ?? 'default',
    databases: {
      main: env.TEMPORAL_CLUSTER_DB ?? 'temporal_cluster',
      visibility: env.TEMPORAL_CLUSTER_VISIBILITY_DB ?? 'temporal_cluster_visibility',
    },
    log: (line) => console.error(line),
  };
}

async function main(argv: string[]): Promise<void> {
  const settings = options(process.env);
  if (argv.includes('--stop')) {
    console.log((await stopCluster(settings.dir)) ? 'Temporal cluster stopped' : 'No Temporal cluster was running');
    return;
  }
  if (argv.includes('--reset')) {
    await resetCluster(settings);
    console.log('Temporal cluster stopped, its databases and files removed');
    return;
  }
  const state = await startCluster(settings);
  console.log(`TEMPORAL_ADDRESS=${state.address}`);
  if (state.uiUrl) console.log(`Temporal UI: ${state.uiUrl}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`cluster: ${(err as Error).message}`);
  process.exit(1);
});
