// `GET|PUT /api/v1/alert-settings`: the tenant's alert settings, today storm grouping
// (`{"storm": {"enabled", "threshold": 2..1000, "windowMinutes": 1..120, "groupBy": "client"|"client_condition"}}`),
// off by default. Routing reads them with everything else it decides on; what a storm does is
// explained in workflows/storm-grouping.ts.
import Router from '@koa/router';
import { z } from 'zod';
import {
  readAlertSettings,
  saveStormSettings,
  STORM_LIMITS,
  type AlertSettingsValue,
} from '../../db/alert-settings-store';
import { STORM_GROUP_BY } from '../../db/entities';
import type { AppDeps } from '../deps';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { alertSettingsResponse } from '../schemas';
import { parseInput } from '../validation';

export const alertSettingsBody = z
  .object({
    storm: z
      .object({
        enabled: z.boolean(),
        /** Absent: the stored value (10 for a tenant that never saved one). */
        threshold: z.number().int().min(STORM_LIMITS.threshold.min).max(STORM_LIMITS.threshold.max).optional(),
        windowMinutes: z
          .number()
          .int()
          .min(STORM_LIMITS.windowMinutes.min)
          .max(STORM_LIMITS.windowMinutes.max)
          .optional(),
        groupBy: z.enum(STORM_GROUP_BY).optional(),
      })
      .strict(),
  })
  .strict();

export function alertSettingsRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const path = '/alert-settings';
  const router = new Router();
  docs.add({
    method: 'get',
    path,
    summary: 'The alert settings: storm grouping (off by default)',
    responses: { 200: { description: 'The settings', schema: alertSettingsResponse } },
  });
  docs.add({
    method: 'put',
    path,
    summary: 'Save the alert settings (storm fields left out keep their stored values)',
    body: alertSettingsBody,
    responses: { 200: { description: 'The settings as stored', schema: alertSettingsResponse }, 400: 'Invalid input' },
  });

  router.get(path, async (ctx) => {
    ctx.body = alertSettingsView(await readAlertSettings(deps.orm.em.fork(), tenantOf(ctx)));
  });

  router.put(path, async (ctx) => {
    const input = parseInput(alertSettingsBody, ctx.request.body);
    const tenantId = tenantOf(ctx);
    const em = deps.orm.em.fork();
    const stored = (await readAlertSettings(em, tenantId)).storm;
    const storm = {
      enabled: input.storm.enabled,
      threshold: input.storm.threshold ?? stored.threshold,
      windowMinutes: input.storm.windowMinutes ?? stored.windowMinutes,
      groupBy: input.storm.groupBy ?? stored.groupBy,
    };
    const saved = await saveStormSettings(em, tenantId, storm);
    deps.logger.info({ tenantId, storm: saved.storm }, 'alert settings saved');
    ctx.body = alertSettingsView(saved);
  });
  return router;
}

export function alertSettingsView(settings: AlertSettingsValue) {
  const { enabled, threshold, windowMinutes, groupBy } = settings.storm;
  return { storm: { enabled, threshold, windowMinutes, groupBy } };
}
