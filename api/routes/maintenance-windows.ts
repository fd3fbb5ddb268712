// Maintenance windows: alerts during a window are recorded, not ticketed. One-off (startsAt and
// endsAt) or weekly (recurrence); scoped to everything, a client or an asset. The schedule rules
// live in domain/maintenance-windows.ts (validateWindow) and are reported as 400 field problems.
import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ClientSchema, MaintenanceWindowSchema, type MaintenanceWindow } from '../../db/entities';
import { isUuid } from '../../db/ticket-store';
import { validateWindow, type WeeklyRecurrence } from '../../domain/maintenance-windows';
import type { AppDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import { findPage, pageQuery } from '../pagination';
import type { OpenApiRegistry } from '../openapi';
import { pageOfSchema, windowResponse } from '../schemas';
import { parseInput, type FieldProblem } from '../validation';

// Types only here: days, times and time zone are checked by validateWindow so that every
// problem is reported with the domain's messages.
const recurrenceBody = z
  .object({
    days: z.array(z.number()).max(7),
    startTime: z.string().max(10),
    endTime: z.string().max(10),
    timezone: z.string().max(100),
  })
  .strict();

export const windowBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    enabled: z.boolean().default(true),
    scope: z.object({ clientId: z.string().nullish(), assetId: z.string().nullish() }).strict().nullish(),
    startsAt: z.iso.datetime({ offset: true }).nullish(),
    endsAt: z.iso.datetime({ offset: true }).nullish(),
    recurrence: recurrenceBody.nullish(),
  })
  .strict();

/** PUT replaces the window; read-only fields sent back as read are ignored. */
export const replaceWindowBody = windowBody
  .extend({ id: z.string().optional(), createdAt: z.string().optional(), updatedAt: z.string().optional() })
  .strict();

type WindowInput = z.infer<typeof windowBody>;

interface WindowFields {
  name: string;
  enabled: boolean;
  scopeClientId: string | null;
  scopeAssetId: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  recurrence: WeeklyRecurrence | null;
}

export function maintenanceWindowRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const base = '/maintenance-windows';
  const router = new Router({ prefix: base });
  const em = () => deps.orm.em;
  const windowDoc = { description: 'The window', schema: windowResponse };
  docs.add({
    method: 'get',
    path: base,
    summary: 'List maintenance windows',
    query: pageQuery,
    responses: {
      200: { description: 'A page of windows', schema: pageOfSchema(windowResponse) },
      400: 'Invalid query',
    },
  });
  docs.add({
    method: 'post',
    path: base,
    summary: 'Create a maintenance window',
    body: windowBody,
    responses: { 201: windowDoc, 400: 'Invalid input' },
  });
  docs.add({
    method: 'get',
    path: `${base}/:id`,
    summary: 'A maintenance window',
    responses: { 200: windowDoc, 404: 'No such window' },
  });
  docs.add({
    method: 'put',
    path: `${base}/:id`,
    summary: 'Replace a maintenance window',
    body: replaceWindowBody,
    responses: { 200: windowDoc, 400: 'Invalid input', 404: 'No such window' },
  });
  docs.add({
    method: 'delete',
    path: `${base}/:id`,
    summary: 'Delete a maintenance window',
    responses: { 204: 'Deleted', 404: 'No such window' },
  });

  router.get('/', async (ctx) => {
    const page = await findPage(
      em(),
      MaintenanceWindowSchema,
      { tenantId: tenantOf(ctx) },
      { createdAt: 'asc', id: 'asc' },
      parseInput(pageQuery.strict(), ctx.query, 'query'),
    );
    ctx.body = { items: page.items.map(windowView), nextCursor: page.nextCursor };
  });

  router.post('/', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const fields = await checkedFields(em(), tenantId, parseInput(windowBody, ctx.request.body));
    const now = new Date();
    const window = em().create(MaintenanceWindowSchema, {
      id: randomUUID(),
      tenantId,
      ...fields,
      createdAt: now,
      updatedAt: now,
    });
    await em().flush();
    ctx.status = 201;
    ctx.body = windowView(window);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = windowView(await findWindow(em(), tenantOf(ctx), ctx.params.id));
  });

  router.put('/:id', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const window = await findWindow(em(), tenantId, ctx.params.id);
    const fields = await checkedFields(em(), tenantId, parseInput(replaceWindowBody, ctx.request.body));
    Object.assign(window, fields);
    await em().flush();
    ctx.body = windowView(window);
  });

  router.delete('/:id', async (ctx) => {
    const window = await findWindow(em(), tenantOf(ctx), ctx.params.id);
    em().remove(window);
    await em().flush();
    ctx.status = 204;
  });
  return router;
}

async function findWindow(em: EntityManager, tenantId: string, id: string | undefined): Promise<MaintenanceWindow> {
  const window = id !== undefined && isUuid(id) ? await em.findOne(MaintenanceWindowSchema, { id, tenantId }) : null;
  if (!window) throw notFound('Maintenance window');
  return window;
}

/** The columns to store, after the domain's schedule checks and the scope's ownership checks. */
async function checkedFields(em: EntityManager, tenantId: string, input: WindowInput): Promise<WindowFields> {
  const fields: WindowFields = {
    name: input.name,
    enabled: input.enabled,
    scopeClientId: blankToNull(input.scope?.clientId),
    scopeAssetId: blankToNull(input.scope?.assetId),
    startsAt: input.startsAt ? new Date(input.startsAt) : null,
    endsAt: input.endsAt ? new Date(input.endsAt) : null,
    recurrence: input.recurrence ?? null,
  };
  const problems: FieldProblem[] = validateWindow({
    startsAt: fields.startsAt,
    endsAt: fields.endsAt,
    recurrence: fields.recurrence,
    scope: { clientId: fields.scopeClientId, assetId: fields.scopeAssetId },
  });
  if (fields.scopeClientId !== null) {
    const owned =
      isUuid(fields.scopeClientId) && (await em.count(ClientSchema, { id: fields.scopeClientId, tenantId })) > 0;
    if (!owned) problems.push({ field: 'scope.clientId', message: 'Unknown client' });
  }
  // Assets belong to device sync; only the id's form is checked here.
  if (fields.scopeAssetId !== null && !isUuid(fields.scopeAssetId)) {
    problems.push({ field: 'scope.assetId', message: 'Asset id must be a UUID' });
  }
  if (problems.length > 0) {
    throw new ApiError(
      400,
      'invalid_request',
      `Invalid body: ${[...new Set(problems.map((p) => p.field))].join(', ')}`,
      { fields: problems },
    );
  }
  if (fields.recurrence) {
    const { days, startTime, endTime, timezone } = fields.recurrence;
    fields.recurrence = { days: [...days].sort((a, b) => a - b), startTime, endTime, timezone };
  }
  return fields;
}

function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

export function windowView(window: MaintenanceWindow) {
  const scope: { clientId?: string; assetId?: string } = {};
  if (window.scopeClientId) scope.clientId = window.scopeClientId;
  if (window.scopeAssetId) scope.assetId = window.scopeAssetId;
  return {
    id: window.id,
    name: window.name,
    enabled: window.enabled,
    scope,
    startsAt: window.startsAt?.toISOString() ?? null,
    endsAt: window.endsAt?.toISOString() ?? null,
    recurrence: window.recurrence ?? null,
    createdAt: window.createdAt.toISOString(),
    updatedAt: window.updatedAt.toISOString(),
  };
}
