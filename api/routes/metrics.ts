// `GET /metrics` on the API port (unless METRICS_PORT serves it elsewhere): Prometheus text.
// Public like /healthz, but METRICS_TOKEN, when set, is required as a Bearer token.
import Router from '@koa/router';
import { z } from 'zod';
import { createApiRegistry } from '../../metrics/api-registry';
import { METRICS_CONTENT_TYPE, renderMetrics, scrapeAllowed } from '../../metrics/exposition';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import type { OpenApiRegistry } from '../openapi';

export function metricsRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const router = new Router();
  if (deps.config.metricsPort !== undefined) return router;
  docs.add({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (Bearer METRICS_TOKEN when set)',
    responses: {
      200: { description: 'Prometheus text format', schema: z.string(), contentType: METRICS_CONTENT_TYPE },
      401: 'METRICS_TOKEN is set and was not given',
    },
    public: true,
  });
  const databaseGauges = createApiRegistry(() => deps.orm.em.getKnex());
  router.get('/metrics', async (ctx) => {
    if (!scrapeAllowed(ctx.get('Authorization') || undefined, deps.config.metricsToken)) {
      ctx.set('WWW-Authenticate', 'Bearer');
      throw new ApiError(401, 'unauthorized', 'A valid METRICS_TOKEN is required as a Bearer token');
    }
    ctx.type = METRICS_CONTENT_TYPE;
    ctx.body = await renderMetrics([databaseGauges]);
  });
  return router;
}
