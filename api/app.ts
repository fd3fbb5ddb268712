// The Koa application, exported for the tests (they serve it on a free port) and the entry
// points. Middleware order: errors outermost, then the ORM request context, then public routes
// (health, the console), then body parsing and bearer authentication for everything under /api/v1.
// The admin routers are nested under one router that holds the /api/v1 prefix; their own paths are
// relative to it, and so are the paths they document.
import { createServer, type Server } from 'node:http';
import Router from '@koa/router';
import Koa from 'koa';
import { z } from 'zod';
import { consoleRoutes } from './console/routes';
import type { AppDeps, RouteDeps } from './deps';
import { requireTenant } from './middleware/auth';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { requestContext } from './middleware/request-context';
import { OpenApiRegistry } from './openapi';
import { alertRuleRoutes } from './routes/alert-rules';
import { alertSettingsRoutes } from './routes/alert-settings';
import { alertRoutes } from './routes/alerts';
import { backfillRoutes } from './routes/backfill';
import { assetRoutes } from './routes/assets';
import { clientRoutes } from './routes/clients';
import { groupRoutes } from './routes/groups';
import { healthRoutes } from './routes/health';
import { integrationRoutes } from './routes/integration';
import { maintenanceWindowRoutes } from './routes/maintenance-windows';
import { metricsRoutes } from './routes/metrics';
import { runRoutes } from './routes/runs';
import { ticketRoutes } from './routes/tickets';
import { webhookCardRoutes } from './routes/webhook-card';
import { webhookReceiverRoutes } from './routes/webhook-receiver';
import { refusalFromMemory, webhookLimits } from './webhook/admission';
import { refusingFloodsEarly, type EarlyRefusal } from './webhook/early-refusal';
import { ticketClosedHook } from './webhook/ticket-closed';
import { httpSpans } from '../tracing/http-spans';
import { activeTracing } from '../tracing/tracing';

/** The admin API's prefix, written once: the admin route modules' paths are relative to it. */
export const API_PREFIX = '/api/v1';

/** Every route module has this shape. */
export type RouteFactory = (deps: RouteDeps, docs: OpenApiRegistry) => Router;

/** The admin routers, behind bearer authentication, in the order they are tried. */
const ADMIN_ROUTES: RouteFactory[] = [
  clientRoutes,
  assetRoutes,
  integrationRoutes,
  groupRoutes,
  runRoutes,
  alertRuleRoutes,
  maintenanceWindowRoutes,
  ticketRoutes,
  alertRoutes,
  alertSettingsRoutes,
  webhookCardRoutes,
  backfillRoutes,
];

/**
 * Koa, with the webhook receiver's failed-attempt limits in front of it: a flood from an address
 * over its limit is answered by the HTTP server's request listener (see early-refusal). Every
 * server of this app (entry points, tests, benchmarks) is made by `listen`.
 */
class ServiceApp extends Koa {
  constructor(private readonly refuseEarly: EarlyRefusal) {
    super();
  }

  // Koa's own `listen`, with the listener wrapped (its overloads all end in Server#listen's).
  override listen(...args: unknown[]): Server {
    const server = createServer(refusingFloodsEarly(this.refuseEarly, this.proxy, this.callback()));
    return server.listen(...(args as Parameters<Server['listen']>));
  }
}

export function createApp(deps: AppDeps): Koa {
  // The failed-attempt limits, shared by the receiver's route and the early refusal in front of Koa.
  const limits = webhookLimits();
  const app = new ServiceApp((request) => refusalFromMemory(deps, request, limits));
  // X-Forwarded-For decides ctx.ip only behind a proxy that sets it (see AppConfig.trustProxy).
  app.proxy = deps.config.trustProxy ?? false;
  const docs = new OpenApiRegistry();

  const publicRoutes = new Router();
  publicRoutes.use(healthRoutes(deps, docs).routes());
  publicRoutes.use(metricsRoutes(deps, docs).routes());
  docs.add({
    method: 'get',
    path: `${API_PREFIX}/openapi.json`,
    summary: 'This document (OpenAPI 3.1)',
    public: true,
    responses: { 200: { description: 'The OpenAPI document', schema: z.record(z.string(), z.unknown()) } },
  });
  publicRoutes.get(`${API_PREFIX}/openapi.json`, (ctx) => {
    ctx.body = docs.document();
  });

  // A person closing a ticket signals the alert's lifecycle run (resolve in Level, per its rule).
  const routeDeps: RouteDeps = { ...deps, onTicketClosed: ticketClosedHook(deps) };
  const apiRoutes = new Router({ prefix: API_PREFIX });
  for (const routes of ADMIN_ROUTES) {
    const router = routes(routeDeps, docs.under(API_PREFIX));
    apiRoutes.use(router.routes(), router.allowedMethods());
  }
  // Authentication sits on an unprefixed router around the /api/v1 one: a prefixed router's own
  // middleware matches its prefix case-sensitively while its routes match in any case, so there
  // /API/V1/clients would reach a route without a tenant. Here it runs before every matched route.
  const adminRoutes = new Router();
  adminRoutes.use(requireTenant(deps.orm));
  adminRoutes.use(apiRoutes.routes(), apiRoutes.allowedMethods());

  if (activeTracing()) app.use(httpSpans());
  app.use(errorHandler(deps.logger));
  app.use(requestContext(deps.orm));
  app.use(publicRoutes.routes());
  // The admin console (GET / and /console/*): static, public; it calls /api/v1 with a token.
  app.use(
    consoleRoutes({
      temporalUiUrl: deps.config.temporalUiUrl ?? 'http://localhost:8233',
      temporalNamespace: deps.config.temporalNamespace ?? 'default',
    }).routes(),
  );
  // The webhook receiver has no bearer token and reads its raw body itself (signatures).
  app.use(webhookReceiverRoutes(deps, docs, limits).routes());
  app.use(async (ctx, next) => {
    if (ctx.path.startsWith(`${API_PREFIX}/`)) await jsonBody(ctx, next);
    else await next();
  });
  app.use(adminRoutes.routes());
  app.use(adminRoutes.allowedMethods());
  return app;
}
