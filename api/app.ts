// The Koa application, exported for the tests (they serve it on a free port) and the entry
// points. Middleware order: errors outermost, then the ORM request context, then body parsing,
// then public routes, then bearer authentication for everything under /api/v1.
import Router from '@koa/router';
import Koa from 'koa';
import type { AppDeps } from './deps';
import { requireTenant } from './middleware/auth';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { requestContext } from './middleware/request-context';
import { OpenApiRegistry } from './openapi';
import { clientRoutes } from './routes/clients';
import { healthRoutes } from './routes/health';
import { integrationRoutes } from './routes/integration';
import { runRoutes } from './routes/runs';

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  const docs = new OpenApiRegistry();

  const publicRoutes = new Router();
  publicRoutes.use(healthRoutes(deps, docs).routes());
  publicRoutes.get('/api/v1/openapi.json', (ctx) => {
    ctx.body = docs.document();
  });

  const adminRoutes = new Router();
  adminRoutes.use(requireTenant(deps.orm));
  for (const routes of [clientRoutes, integrationRoutes, runRoutes]) {
    const router = routes(deps, docs);
    adminRoutes.use(router.routes(), router.allowedMethods());
  }

  app.use(errorHandler(deps.logger));
  app.use(requestContext(deps.orm));
  app.use(publicRoutes.routes());
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith('/api/v1/')) await jsonBody(ctx, next);
    else await next();
  });
  app.use(adminRoutes.routes());
  app.use(adminRoutes.allowedMethods());
  return app;
}
