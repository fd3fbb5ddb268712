// Liveness and readiness. Readiness names each dependency that does not answer.
import Router from '@koa/router';
import type { AppDeps } from '../deps';
import type { OpenApiRegistry } from '../openapi';
import { healthResponse, readinessResponse } from '../schemas';

export function healthRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const router = new Router();
  docs.add({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    responses: { 200: { description: 'The process is up', schema: healthResponse } },
    public: true,
  });
  docs.add({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: PostgreSQL and Temporal answer',
    responses: {
      200: { description: 'Ready', schema: readinessResponse },
      503: { description: 'A dependency is down (named in error.details.down)', schema: readinessResponse },
    },
    public: true,
  });

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    const [database, temporal] = await Promise.all([databaseAnswers(deps), deps.temporal.isReachable()]);
    const checks = { database: database ? 'ok' : 'down', temporal: temporal ? 'ok' : 'down' };
    const down = Object.entries(checks)
      .filter(([, state]) => state === 'down')
      .map(([name]) => name);
    if (down.length === 0) {
      ctx.body = { status: 'ready', checks };
      return;
    }
    ctx.status = 503;
    ctx.body = {
      status: 'not_ready',
      checks,
      error: {
        code: 'dependency_unavailable',
        message: `Not ready: ${down.join(' and ')} unavailable`,
        details: { down },
      },
    };
  });
  return router;
}

async function databaseAnswers(deps: AppDeps): Promise<boolean> {
  try {
    await Promise.race([
      deps.orm.em.getConnection().execute('select 1'),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}
