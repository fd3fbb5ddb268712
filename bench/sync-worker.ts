// Child process of `npm run bench:sync`: one production worker (worker/run-worker.ts with the
// real activities and workflow bundle), alone in its process so its RSS is its own. Cheap
// profiling rides along: time spent in Level HTTP exchanges (request until the body is read) and
// in SQL statements by kind (asset upserts, request-budget tokens, the rest), both sequential
// within a chunk, so wall time minus these is workflow and activity overhead.
// IPC: sends `{ type: 'ready' }`; `{ type: 'reset' }` starts a measurement window, `{ type:
// 'report' }` answers a WorkerReport for it, `{ type: 'stop' }` drains and exits.
import { subscribe } from 'node:diagnostics_channel';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { createLogger } from '../config/logger';
import { openServices } from '../runtime/services';
import { startWorker } from '../worker/run-worker';

export interface WorkerReport {
  type: 'report';
  /** Highest RSS sampled (every 25 ms) since the last reset, bytes. */
  peakRss: number;
  /** RSS when the window started (the idle worker, after start-up), bytes. */
  startRss: number;
  /** process.resourceUsage().maxRSS: the whole process lifetime (start-up bundling included), bytes. */
  maxRss: number;
  levelMs: number;
  levelCalls: number;
  sql: Record<'assets' | 'budget' | 'other', { ms: number; count: number }>;
}

const SAMPLE_MS = 25;

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const config = loadConfig();
  if (!config.databaseUrl || !config.temporalAddress || !config.masterKey)
    throw new Error('bench worker needs DATABASE_URL, TEMPORAL_ADDRESS and MASTER_KEY');
  const logger = createLogger(config.logLevel, 'bench-worker');
  const services = await openServices(
    {
      ...config,
      databaseUrl: config.databaseUrl,
      temporalAddress: config.temporalAddress,
      masterKey: config.masterKey,
    },
    logger,
  );

  let window = freshWindow();
  // Level calls go through undici (level/guarded-fetch.ts under a host policy, or Node's own fetch,
  // which is undici too): its diagnostics channels time each request from its creation until the
  // response has ended (trailers), i.e. until the body was read.
  const requestStarts = new WeakMap<object, number>();
  subscribe('undici:request:create', (message) =>
    requestStarts.set((message as { request: object }).request, performance.now()),
  );
  const requestEnded = (message: unknown) => {
    const request = (message as { request: object }).request;
    const started = requestStarts.get(request);
    if (started === undefined) return;
    requestStarts.delete(request);
    window.levelMs += performance.now() - started;
    window.levelCalls += 1;
  };
  subscribe('undici:request:trailers', requestEnded);
  subscribe('undici:request:error', requestEnded);
  const queryStarts = new Map<string, { at: number; kind: keyof WorkerReport['sql'] }>();
  const knex = services.orm.em.getKnex();
  knex.on('query', (query: { __knexQueryUid: string; sql: string }) => {
    const kind = query.sql.includes('level_request_budgets')
      ? 'budget'
      : query.sql.includes('insert into assets')
        ? 'assets'
        : 'other';
    queryStarts.set(query.__knexQueryUid, { at: performance.now(), kind });
  });
  const finished = (_result: unknown, query: { __knexQueryUid: string }) => {
    const start = queryStarts.get(query.__knexQueryUid);
    if (!start) return;
    queryStarts.delete(query.__knexQueryUid);
    window.sql[start.kind].ms += performance.now() - start.at;
    window.sql[start.kind].count += 1;
  };
  knex.on('query-response', finished);
  knex.on('query-error', finished);

  const sampler = setInterval(() => {
    window.peakRss = Math.max(window.peakRss, process.memoryUsage.rss());
  }, SAMPLE_MS);

  const { worker, done } = await startWorker(services, config, logger, { bundleOutOfProcess: true });
  const stop = async () => {
    clearInterval(sampler);
    worker.shutdown();
    await done.catch(() => undefined);
    await services.close();
    process.exit(0);
  };
  process.on('message', (message: { type: string }) => {
    if (message.type === 'reset') window = freshWindow();
    else if (message.type === 'report') {
      window.peakRss = Math.max(window.peakRss, process.memoryUsage.rss());
      const report: WorkerReport = { type: 'report', ...window, maxRss: process.resourceUsage().maxRSS * 1024 };
      process.send?.(report);
    } else if (message.type === 'stop') void stop();
  });
  process.on('disconnect', () => void stop());
  // Fail loudly if the worker dies on its own.
  done.catch((err: unknown) => {
    console.error('bench worker crashed:', err);
    process.exit(1);
  });
  process.send?.({ type: 'ready' });
}

function freshWindow() {
  const rss = process.memoryUsage.rss();
  return {
    startRss: rss,
    peakRss: rss,
    levelMs: 0,
    levelCalls: 0,
    sql: { assets: { ms: 0, count: 0 }, budget: { ms: 0, count: 0 }, other: { ms: 0, count: 0 } },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
