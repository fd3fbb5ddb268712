// A client's assets (synced Level devices).
import Router from '@koa/router';
import { z } from 'zod';
import { AssetSchema, ClientSchema, type Asset } from '../../db/entities';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import { findPage, pageQuery } from '../pagination';
import type { OpenApiRegistry } from '../openapi';
import { assetResponse, pageOfSchema } from '../schemas';
import { parseInput } from '../validation';

const assetsQuery = pageQuery.extend({ includeArchived: z.enum(['true', 'false']).optional() }).strict();
const uuidParam = z.uuid();

export function assetRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const router = new Router();
  docs.add({
    method: 'get',
    path: '/clients/:clientId/assets',
    summary: "A client's assets",
    query: assetsQuery,
    responses: {
      200: { description: 'A page of assets', schema: pageOfSchema(assetResponse) },
      400: 'Invalid query',
      404: 'Unknown client',
    },
  });

  router.get('/clients/:clientId/assets', async (ctx) => {
    const { includeArchived, ...pageRequest } = parseInput(assetsQuery, ctx.query, 'query');
    const tenantId = tenantOf(ctx);
    const clientId = ctx.params.clientId!;
    if (!uuidParam.safeParse(clientId).success || !(await deps.orm.em.count(ClientSchema, { id: clientId, tenantId })))
      throw notFound('Client');
    const where = includeArchived === 'true' ? { tenantId, clientId } : { tenantId, clientId, archived: false };
    const page = await findPage(deps.orm.em, AssetSchema, where, { name: 'asc', id: 'asc' }, pageRequest);
    ctx.body = { items: page.items.map(assetView), nextCursor: page.nextCursor };
  });
  return router;
}

export function assetView(asset: Asset) {
  return {
    id: asset.id,
    clientId: asset.clientId,
    levelDeviceId: asset.levelDeviceId,
    name: asset.name,
    hostname: asset.hostname ?? null,
    assetType: asset.assetType,
    platform: asset.platform ?? null,
    osName: asset.osName ?? null,
    online: asset.online,
    lastSeenAt: asset.lastSeenAt?.toISOString() ?? null,
    lastRebootAt: asset.lastRebootAt?.toISOString() ?? null,
    serialNumber: asset.serialNumber ?? null,
    manufacturer: asset.manufacturer ?? null,
    model: asset.model ?? null,
    cpu: asset.cpu ?? null,
    memoryBytes: asset.memoryBytes ?? null,
    disks: asset.disks ?? null,
    ipAddresses: asset.ipAddresses ?? [],
    levelGroupId: asset.levelGroupId ?? null,
    tags: asset.tags ?? [],
    maintenanceMode: asset.maintenanceMode,
    archived: asset.archived,
    archivedAt: asset.archivedAt?.toISOString() ?? null,
    syncedAt: asset.syncedAt.toISOString(),
  };
}
