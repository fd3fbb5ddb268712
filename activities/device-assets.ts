// Making sure one device's asset exists before an alert is routed: the alert pipeline calls this
// from its activities. It reads the asset, or fetches that single device from Level and writes
// its asset when its group is mapped.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClientSchema } from '../db/entities';
import { loadGroupChain } from '../db/group-tree-store';
import { assetFromDevice } from '../domain/asset-from-device';
import { LevelNotFoundError } from '../level/errors';
import { writeAssetBatch } from './asset-writer';
import type { ActivityDeps } from './deps';
import { SYNC_DEVICE_INCLUDES } from './device-sync-activities';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export interface DeviceContext {
  assetId: string;
  clientId: string;
  levelGroupId: string | null;
  /** The device's group and all its ancestors, nearest first. */
  groupAncestry: string[];
  deviceRole: string | null;
  deviceName: string;
  clientName: string;
}

export interface DeviceRef {
  tenantId: string;
  integrationId: string;
  levelDeviceId: string;
}

/** The device's asset context, syncing that one device if needed; null when it does not sync. */
export async function ensureDeviceAsset(deps: ActivityDeps, em: EntityManager, ref: DeviceRef): Promise<DeviceContext | null> {
  const stored = await findDeviceAsset(em, ref);
  if (stored) return stored;

  const { client } = await openBudgetedLevelClient(deps, em, ref.integrationId);
  let device;
  try {
    device = await client.getDevice(ref.levelDeviceId, SYNC_DEVICE_INCLUDES);
  } catch (err) {
    if (err instanceof LevelNotFoundError) return null;
    throw toActivityFailure(err);
  }
  const chain = await loadGroupChain(em, ref.tenantId, device.group_id ?? null);
  if (!chain.effectiveClientId) return null;
  const fields = assetFromDevice(device);
  const written = await writeAssetBatch(em.getKnex(), { tenantId: ref.tenantId, integrationId: ref.integrationId, syncRunId: null }, [{ fields, clientId: chain.effectiveClientId }]);
  const assetId = written.assetIds.get(device.id);
  if (!assetId) return null;
  return contextFor(em, assetId, chain.effectiveClientId, fields.levelGroupId, device.role ?? null, fields.name, chain.ancestry);
}

/**
 * The context of the device's active asset, from the database alone (no Level call): one query
 * for the asset and its client (without the stored device document), one for the group chain.
 */
export async function findDeviceAsset(em: EntityManager, ref: Omit<DeviceRef, 'integrationId'>): Promise<DeviceContext | null> {
  const rows = await em.execute<Array<{ id: string; client_id: string; level_group_id: string | null; role: string | null; name: string; client_name: string | null }>>(
    `select a."id", a."client_id", a."level_group_id", a."raw"->>'role' as "role", a."name", c."name" as "client_name"
     from "assets" a left join "clients" c on c."id" = a."client_id"
     where a."tenant_id" = ? and a."level_device_id" = ? and not a."archived" limit 1`,
    [ref.tenantId, ref.levelDeviceId],
  );
  const asset = rows[0];
  if (!asset) return null;
  const { ancestry } = await loadGroupChain(em, ref.tenantId, asset.level_group_id);
  return {
    assetId: asset.id,
    clientId: asset.client_id,
    levelGroupId: asset.level_group_id,
    groupAncestry: ancestry,
    deviceRole: asset.role,
    deviceName: asset.name,
    clientName: asset.client_name ?? '',
  };
}

async function contextFor(em: EntityManager, assetId: string, clientId: string, levelGroupId: string | null, deviceRole: string | null, deviceName: string, groupAncestry: string[]): Promise<DeviceContext> {
  const client = await em.findOne(ClientSchema, { id: clientId }, { fields: ['name'] });
  return { assetId, clientId, levelGroupId, groupAncestry, deviceRole: deviceRole ?? null, deviceName, clientName: client?.name ?? '' };
}
