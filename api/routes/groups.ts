// The "Sync & Group Mappings" card: discover groups, list them with their inherited mapping,
// map a group to a client, and run device sync (one at a time per tenant), on demand or on a
// schedule, with its history.
import Router from '@koa/router';
import { z } from 'zod';
import { ClientSchema, LevelGroupSchema } from '../../db/entities';
import { loadGroupTree, type GroupTree } from '../../db/group-tree-store';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { DEVICE_SYNC_WORKFLOW, DISCOVER_GROUPS_WORKFLOW } from '../../contracts/workflows';
import { findIntegration, startIntegrationOperation, startQuery } from '../integration-operations';
import { tenantOf } from '../middleware/auth';
import { pageOf, pageQuery } from '../pagination';
import type { OpenApiRegistry } from '../openapi';
import { groupResponse, pageOfSchema, runStartResponse } from '../schemas';
import { parseInput } from '../validation';
import { addSyncRunRoutes } from './sync-runs';
import { addSyncScheduleRoutes } from './sync-schedule';

export const mappingBody = z.object({ clientId: z.uuid().nullable() }).strict();

export function groupRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const base = '/integrations/level';
  const router = new Router({ prefix: base });
  const em = () => deps.orm.em;
  const run = (description: string) => ({ description, schema: runStartResponse });
  docs.add({
    method: 'post',
    path: `${base}/discover-groups`,
    summary: 'Start a Discover Groups run',
    query: startQuery,
    responses: {
      202: run('Run started'),
      200: run('Outcome (wait=true)'),
      404: 'Never configured',
      409: 'No API key saved',
    },
  });
  docs.add({
    method: 'get',
    path: `${base}/groups`,
    summary: 'Discovered groups in tree order with own and effective mapping',
    query: pageQuery,
    responses: { 200: { description: 'A page of groups', schema: pageOfSchema(groupResponse) }, 400: 'Invalid query' },
  });
  docs.add({
    method: 'put',
    path: `${base}/groups/:levelGroupId/mapping`,
    summary: 'Map a group to a client, or clear it',
    body: mappingBody,
    responses: { 200: { description: 'The group row', schema: groupResponse }, 404: 'Unknown group or client' },
  });
  docs.add({
    method: 'post',
    path: `${base}/device-sync`,
    summary: 'Start Device Sync (single-flight per tenant)',
    query: startQuery,
    responses: {
      202: run('Run started'),
      200: run('Already running, or outcome (wait=true)'),
      409: 'No API key saved',
    },
  });

  router.post('/discover-groups', async (ctx) => {
    await startIntegrationOperation(ctx, deps, {
      workflowType: DISCOVER_GROUPS_WORKFLOW,
      operation: 'discover-groups',
      summary: 'Discover Level groups',
      singleFlight: true,
      needsKeyFor: 'discovering groups',
    });
  });

  router.get('/groups', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const pageRequest = parseInput(pageQuery.strict(), ctx.query, 'query');
    await findIntegration(em(), tenantId);
    const page = pageOf(groupViews(await loadGroupTree(em(), tenantId)), (group) => group.levelGroupId, pageRequest);
    ctx.body = { items: page.items, nextCursor: page.nextCursor };
  });

  router.put('/groups/:levelGroupId/mapping', async (ctx) => {
    const { clientId } = parseInput(mappingBody, ctx.request.body);
    const tenantId = tenantOf(ctx);
    const group = await em().findOne(LevelGroupSchema, { tenantId, levelGroupId: ctx.params.levelGroupId! });
    if (!group) throw notFound('Group');
    if (clientId && !(await em().count(ClientSchema, { id: clientId, tenantId }))) throw notFound('Client');
    group.mappedClientId = clientId;
    await em().flush();
    const row = groupViews(await loadGroupTree(em(), tenantId)).find(
      (item) => item.levelGroupId === group.levelGroupId,
    );
    ctx.body = row;
  });

  router.post('/device-sync', async (ctx) => {
    await startIntegrationOperation(ctx, deps, {
      workflowType: DEVICE_SYNC_WORKFLOW,
      operation: 'device-sync',
      summary: 'Sync Level devices to assets',
      singleFlight: true,
      needsKeyFor: 'syncing devices',
    });
  });
  addSyncScheduleRoutes(router, base, deps, docs);
  addSyncRunRoutes(router, base, deps, docs);
  return router;
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
