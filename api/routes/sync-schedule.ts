// `GET|PUT …/integrations/level/sync-schedule` `{"enabled", "intervalMinutes": 15..1440}`: the
// tenant's scheduled device sync, a Temporal Schedule (temporal/sync-schedule.ts) running the same
// single-flight sync as the Run Device Sync button. Off by default; disabling pauses it.
import type Router from '@koa/router';
import { z } from 'zod';
import {
  applySyncSchedule,
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
  readSyncSchedule,
} from '../../temporal/sync-schedule';
import type { AppDeps } from '../deps';
import { findIntegration, integrationWithKey } from '../integration-operations';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { syncScheduleResponse } from '../schemas';
import { parseInput } from '../validation';

export const syncScheduleBody = z
  .object({
    enabled: z.boolean(),
    /** Absent: the schedule's current interval (60 minutes for a new one). */
    intervalMinutes: z.number().int().min(MIN_INTERVAL_MINUTES).max(MAX_INTERVAL_MINUTES).optional(),
  })
  .strict();

/** Adds the routes to the integration's router, whose prefix is `base`. */
export function addSyncScheduleRoutes(router: Router, base: string, deps: AppDeps, docs: OpenApiRegistry): void {
  docs.add({
    method: 'get',
    path: `${base}/sync-schedule`,
    summary: 'The scheduled device sync: enabled, interval, next run',
    responses: { 200: { description: 'The schedule', schema: syncScheduleResponse }, 404: 'Never configured' },
  });
  docs.add({
    method: 'put',
    path: `${base}/sync-schedule`,
    summary: 'Enable (every 15–1440 minutes) or disable the scheduled device sync',
    body: syncScheduleBody,
    responses: {
      200: { description: 'The schedule', schema: syncScheduleResponse },
      400: 'Invalid input',
      404: 'Never configured',
      409: 'No API key saved (enabling)',
    },
  });

  router.get('/sync-schedule', async (ctx) => {
    const tenantId = tenantOf(ctx);
    await findIntegration(deps.orm.em, tenantId);
    ctx.body = await readSyncSchedule(await deps.temporal.getClient(), tenantId);
  });

  router.put('/sync-schedule', async (ctx) => {
    const input = parseInput(syncScheduleBody, ctx.request.body);
    const tenantId = tenantOf(ctx);
    const integration = input.enabled
      ? await integrationWithKey(deps, tenantId, 'scheduling device syncs')
      : await findIntegration(deps.orm.em, tenantId);
    const client = await deps.temporal.getClient();
    const intervalMinutes = input.intervalMinutes ?? (await readSyncSchedule(client, tenantId)).intervalMinutes;
    await applySyncSchedule(
      client,
      { tenantId, integrationId: integration.id, taskQueue: deps.config.taskQueue },
      { enabled: input.enabled, intervalMinutes },
    );
    deps.logger.info({ tenantId, enabled: input.enabled, intervalMinutes }, 'device sync schedule saved');
    ctx.body = await readSyncSchedule(client, tenantId);
  });
}
