// The "Sync & Group Mappings" card: discover groups, list them with their inherited mapping,
// map a group to a client, and run device sync (one at a time per tenant).
import Router from '@koa/router';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { ClientSchema, LevelGroupSchema } from '../../db/entities';
import { loadGroupTree, type GroupTree } from '../../db/group-tree-store';
import { workflowId } from '../../temporal/workflow-ids';
import type { DeviceSyncInput } from '../../workflows/device-sync';
import type { DiscoverGroupsInput } from '../../workflows/discover-groups';
import type { AppDeps } from '../deps';
import { ApiError, notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { parseInput } from '../validation';
import { respondWithRun, startRun } from '../workflow-runs';
import { findIntegration } from './integration';

export const mappingBody = z.object({ clientId: z.uuid().nullable() }).strict();
const startQuery = z.object({ wait: z.enum(['true', 'false']).optional() });

export function groupRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const base = '/api/v1/integrations/level';
  const router = new Router({ prefix: base });
  const em = () => deps.orm.em;
  docs.add({ method: 'post', path: `${base}/discover-groups`, summary: 'Start a Discover Groups run', query: startQuery, responses: { 202: 'Run started', 200: 'Outcome (wait=true)', 404: 'Never configured', 409: 'No API key saved' } });
  docs.add({ method: 'get', path: `${base}/groups`, summary: 'Discovered groups in tree order with own and effective mapping', responses: { 200: '{items: group[]}' } });
  docs.add({ method: 'put', path: `${base}/groups/:levelGroupId/mapping`, summary: 'Map a group to a client, or clear it', body: mappingBody, responses: { 200: 'The group row', 404: 'Unknown group or client' } });
  docs.add({ method: 'post', path: `${base}/device-sync`, summary: 'Start Device Sync (single-flight per tenant)', query: startQuery, responses: { 202: 'Run started', 200: 'Already running, or outcome (wait=true)', 409: 'No API key saved' } });

  router.post('/discover-groups', async (ctx) => {
    parseInput(startQuery, ctx.query, 'query');
    const tenantId = tenantOf(ctx);
    const integration = await connectedIntegration(em(), tenantId);
    const input: DiscoverGroupsInput = { tenantId, integrationId: integration.id };
    const { handle, alreadyRunning } = await startRun(deps, {
      workflowType: 'discoverGroups',
      workflowId: workflowId(tenantId, 'discover-groups'),
      args: [input],
      tenantId,
      operation: 'discover-groups',
      summary: 'Discover Level groups',
      singleFlight: true,
    });
    await respondWithRun(ctx, deps, handle, alreadyRunning);
  });

  router.get('/groups', async (ctx) => {
    const tenantId = tenantOf(ctx);
    await findIntegration(em(), tenantId);
    ctx.body = { items: groupViews(await loadGroupTree(em(), tenantId)) };
  });

  router.put('/groups/:levelGroupId/mapping', async (ctx) => {
    const { clientId } = parseInput(mappingBody, ctx.request.body);
    const tenantId = tenantOf(ctx);
    const group = await em().findOne(LevelGroupSchema, { tenantId, levelGroupId: ctx.params.levelGroupId! });
    if (!group) throw notFound('Group');
    if (clientId && !(await em().count(ClientSchema, { id: clientId, tenantId }))) throw notFound('Client');
    group.mappedClientId = clientId;
    group.updatedAt = new Date();
    await em().flush();
    const row = groupViews(await loadGroupTree(em(), tenantId)).find((item) => item.levelGroupId === group.levelGroupId);
    ctx.body = row;
  });

  router.post('/device-sync', async (ctx) => {
    parseInput(startQuery, ctx.query, 'query');
    const tenantId = tenantOf(ctx);
    const integration = await connectedIntegration(em(), tenantId);
    const input: DeviceSyncInput = { tenantId, integrationId: integration.id };
    const { handle, alreadyRunning } = await startRun(deps, {
      workflowType: 'deviceSync',
      workflowId: workflowId(tenantId, 'device-sync'),
      args: [input],
      tenantId,
      operation: 'device-sync',
      summary: 'Sync Level devices to assets',
      singleFlight: true,
    });
    await respondWithRun(ctx, deps, handle, alreadyRunning);
  });
  return router;
}

async function connectedIntegration(em: EntityManager, tenantId: string) {
  const integration = await findIntegration(em, tenantId);
  if (!integration.apiKeySealed) throw new ApiError(409, 'not_configured', 'Save a Level API key first');
  return integration;
}

function groupViews(tree: GroupTree) {
  return tree.groups.map(({ resolved, row }) => ({
    levelGroupId: row.levelGroupId,
    name: row.name,
    parentId: row.parentId ?? null,
    path: resolved.path,
    depth: resolved.depth,
    deviceCount: row.deviceCount,
    descendantDeviceCount: row.descendantDeviceCount,
    removed: row.removed,
    mappedClientId: row.mappedClientId ?? null,
    effectiveClientId: resolved.effectiveClientId,
    inheritedFromGroupId: resolved.inheritedFromGroupId,
  }));
}

