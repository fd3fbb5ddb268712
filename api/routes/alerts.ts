// The alerts the service recorded from Level (written by the alert lifecycle), newest first.
import Router from '@koa/router';
import { z } from 'zod';
import { ALERT_STATUSES, AlertSchema, type Alert } from '../../db/entities';
import type { AppDeps } from '../deps';
import { tenantOf } from '../middleware/auth';
import { findPage, pageQuery } from '../pagination';
import type { OpenApiRegistry } from '../openapi';
import { alertResponse, pageOfSchema } from '../schemas';
import { parseInput } from '../validation';

export const listAlertsQuery = pageQuery
  .extend({
    status: z.enum(ALERT_STATUSES).optional(),
    /** Only the alerts on this ticket (a storm ticket's: its alerts). */
    ticketId: z.uuid().optional(),
  })
  .strict();

export function alertRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const router = new Router();
  const em = () => deps.orm.em;
  docs.add({
    method: 'get',
    path: '/alerts',
    summary: 'List recorded alerts, newest first',
    query: listAlertsQuery,
    responses: { 200: { description: 'A page of alerts', schema: pageOfSchema(alertResponse) }, 400: 'Invalid query' },
  });

  router.get('/alerts', async (ctx) => {
    const { status, ticketId, ...pageRequest } = parseInput(listAlertsQuery, ctx.query, 'query');
    // Newest recorded first: the time the service recorded it is never null, unlike Level's start time.
    const page = await findPage(
      em(),
      AlertSchema,
      { tenantId: tenantOf(ctx), ...(status ? { status } : {}), ...(ticketId ? { ticketId } : {}) },
      { createdAt: 'desc', id: 'desc' },
      pageRequest,
    );
    ctx.body = { items: page.items.map(alertView), nextCursor: page.nextCursor };
  });
  return router;
}

export function alertView(alert: Alert) {
  return {
    id: alert.id,
    levelAlertId: alert.levelAlertId,
    levelDeviceId: alert.levelDeviceId,
    assetId: alert.assetId ?? null,
    clientId: alert.clientId ?? null,
    name: alert.name,
    description: alert.description ?? null,
    severity: alert.severity,
    status: alert.status,
    startedAt: alert.startedAt?.toISOString() ?? null,
    resolvedAt: alert.resolvedAt?.toISOString() ?? null,
    ticketId: alert.ticketId ?? null,
    matchedRuleId: alert.matchedRuleId ?? null,
    suppressedByWindowId: alert.suppressedByWindowId ?? null,
    failureReason: alert.failureReason ?? null,
    createdAt: alert.createdAt.toISOString(),
    updatedAt: alert.updatedAt.toISOString(),
  };
}
