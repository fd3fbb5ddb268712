// Backfill Alerts: a run that pages Level's current alerts into the alert pipeline, and the
// optional periodic reconcile (a Temporal Schedule running the same workflow; off by default).
import Router from '@koa/router';
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { z } from 'zod';
import { backfillWorkflowId, type BackfillAlertsInput } from '../../contracts/alerts';
import { BACKFILL_ALERTS_WORKFLOW } from '../../contracts/workflows';
import { runSearchAttributes } from '../../contracts/search-attributes';
import type { AppDeps } from '../deps';
import { findIntegration, integrationWithKey, startIntegrationOperation, startQuery } from '../integration-operations';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { reconcileScheduleResponse, runStartResponse } from '../schemas';
import { parseInput } from '../validation';

export const DEFAULT_RECONCILE_INTERVAL_MINUTES = 60;
export const reconcileScheduleBody = z
  .object({
    enabled: z.boolean(),
    intervalMinutes: z
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();

export function reconcileScheduleId(tenantId: string): string {
  return `${backfillWorkflowId(tenantId)}/schedule`;
}

export function backfillRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const base = '/integrations/level/backfill-alerts';
  const router = new Router({ prefix: base });
  const scheduleDoc = { description: '{enabled, intervalMinutes, scheduleId}', schema: reconcileScheduleResponse };
  docs.add({
    method: 'post',
    path: base,
    summary: 'Start Backfill Alerts (one run per tenant at a time)',
    query: startQuery,
    responses: {
      202: { description: 'Run started', schema: runStartResponse },
      200: { description: 'Outcome (wait=true) or the run already in progress', schema: runStartResponse },
      404: 'Never configured',
      409: 'No API key saved',
    },
  });
  docs.add({
    method: 'get',
    path: `${base}/schedule`,
    summary: 'The periodic alert reconcile (off by default)',
    responses: { 200: scheduleDoc, 404: 'Never configured' },
  });
  docs.add({
    method: 'put',
    path: `${base}/schedule`,
    summary: 'Turn the periodic alert reconcile on or off and set its interval',
    body: reconcileScheduleBody,
    responses: { 200: scheduleDoc, 400: 'Invalid input', 404: 'Never configured', 409: 'No API key saved' },
  });

  router.post('/', async (ctx) => {
    await startIntegrationOperation(ctx, deps, {
      workflowType: BACKFILL_ALERTS_WORKFLOW,
      operation: 'backfill-alerts',
      summary: 'Backfill Level alerts',
      singleFlight: true,
      needsKeyFor: 'backfilling alerts',
    });
  });

  router.get('/schedule', async (ctx) => {
    const tenantId = tenantOf(ctx);
    await findIntegration(deps.orm.em, tenantId);
    ctx.body = await describeSchedule(await deps.temporal.getClient(), tenantId);
  });

  router.put('/schedule', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const body = parseInput(reconcileScheduleBody, ctx.request.body);
    const client = await deps.temporal.getClient();
    const handle = client.schedule.getHandle(reconcileScheduleId(tenantId));
    if (!body.enabled) {
      await findIntegration(deps.orm.em, tenantId);
      await handle.delete().catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
      ctx.body = { enabled: false, intervalMinutes: null, scheduleId: reconcileScheduleId(tenantId) };
      return;
    }
    const integration = await integrationWithKey(deps, tenantId, 'backfilling alerts');
    const minutes = body.intervalMinutes ?? DEFAULT_RECONCILE_INTERVAL_MINUTES;
    const input: BackfillAlertsInput = { tenantId, integrationId: integration.id };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: BACKFILL_ALERTS_WORKFLOW,
      workflowId: backfillWorkflowId(tenantId),
      taskQueue: deps.config.taskQueue,
      args: [input],
      typedSearchAttributes: runSearchAttributes(tenantId, 'backfill-alerts'),
      staticSummary: 'Periodic Level alert reconcile',
    };
    const spec = { intervals: [{ every: `${minutes} minutes` as const }] };
    try {
      await handle.update((previous) => ({ ...previous, spec, action }));
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      await client.schedule.create({
        scheduleId: reconcileScheduleId(tenantId),
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP },
      });
    }
    ctx.body = { enabled: true, intervalMinutes: minutes, scheduleId: reconcileScheduleId(tenantId) };
  });
  return router;
}

async function describeSchedule(client: Client, tenantId: string) {
  const scheduleId = reconcileScheduleId(tenantId);
  try {
    const description = await client.schedule.getHandle(scheduleId).describe();
    const every = description.spec.intervals?.[0]?.every;
    return {
      enabled: !description.state.paused,
      intervalMinutes: typeof every === 'number' ? Math.round(every / 60_000) : null,
      scheduleId,
    };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return { enabled: false, intervalMinutes: null, scheduleId };
    throw err;
  }
}
