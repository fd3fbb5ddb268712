// Making sure one device's asset exists before an alert is routed: the alert pipeline calls this
// from its activities. It reads the asset, or fetches that single device from Level and writes
// its asset when its group is mapped.
import type { EntityManager } from '@mikro-orm/postgresql';
import { findDeviceContext } from '../db/alert-routing-store';
import { loadGroupChain } from '../db/group-tree-store';
import type { DeviceContext } from '../domain/alert-routing';
import { assetFromDevice } from '../domain/asset-from-device';
import { LevelNotFoundError } from '../level/errors';
import { writeAssetBatch } from './asset-writer';
import type { ActivityDeps } from './deps';
import { SYNC_DEVICE_INCLUDES } from './device-sync-activities';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export interface DeviceRef {
  tenantId: string;
  integrationId: string;
  levelDeviceId: string;
}

/** The device's asset context, syncing that one device if needed; null when it does not sync. */
export async function ensureDeviceAsset(deps: ActivityDeps, em: EntityManager, ref: DeviceRef): Promise<DeviceContext | null> {
  const stored = await findDeviceContext(em, ref.tenantId, ref.levelDeviceId);
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
  if (!written.assetIds.has(device.id)) return null;
  return findDeviceContext(em, ref.tenantId, ref.levelDeviceId);
}
