// One device's asset, outside a full sync: the alert pipeline makes sure a device's asset exists
// before routing (ensureDeviceAsset), and Level's native device events create, update, move or
// archive it (syncOneDevice). Both fetch that single device from Level under the integration's
// shared request budget and place it through the stored group tree's mapping, as a sync would.
import type { EntityManager } from '@mikro-orm/postgresql';
import { findDeviceContext } from '../db/alert-routing-store';
import { archiveDeviceAsset } from '../db/asset-writer';
import { loadGroupChain } from '../db/group-tree-store';
import type { DeviceContext } from '../domain/alert-routing';
import { assetFromDevice } from '../domain/asset-from-device';
import { LevelNotFoundError } from '../level/errors';
import { writeAssetsRelinking } from './asset-relinks';
import type { ActivityDeps } from './deps';
import { SYNC_DEVICE_INCLUDES } from './device-sync-activities';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export interface DeviceRef {
  tenantId: string;
  integrationId: string;
  levelDeviceId: string;
}

/**
 * What became of the device: `unmapped` (Level has it, but no mapping covers its group: it does
 * not sync, and an asset it had is archived) and `gone` (Level does not know it: archived too);
 * `relinked`: a re-enrolled device took over its old asset (same client, serial and hostname).
 */
export type OneDeviceOutcome =
  'created' | 'updated' | 'moved' | 'relinked' | 'unchanged' | 'unmapped' | 'gone' | 'failed';

/** The device's asset context, syncing that one device if needed; null when it does not sync. */
export async function ensureDeviceAsset(
  deps: ActivityDeps,
  em: EntityManager,
  ref: DeviceRef,
): Promise<DeviceContext | null> {
  const stored = await findDeviceContext(em, ref.tenantId, ref.levelDeviceId);
  if (stored) return stored;
  const outcome = await syncOneDevice(deps, em, ref);
  return outcome === 'unmapped' || outcome === 'gone' || outcome === 'failed'
    ? null
    : findDeviceContext(em, ref.tenantId, ref.levelDeviceId);
}

/** Fetches the device from Level and writes, moves or archives its asset. */
export async function syncOneDevice(deps: ActivityDeps, em: EntityManager, ref: DeviceRef): Promise<OneDeviceOutcome> {
  const { client } = await openBudgetedLevelClient(deps, em, ref.integrationId);
  let device;
  try {
    device = await client.getDevice(ref.levelDeviceId, SYNC_DEVICE_INCLUDES);
  } catch (err) {
    if (!(err instanceof LevelNotFoundError)) throw toActivityFailure(err);
    await archiveDeviceAsset(em, ref);
    return 'gone';
  }
  const chain = await loadGroupChain(em, ref.tenantId, device.group_id ?? null);
  if (!chain.effectiveClientId) {
    await archiveDeviceAsset(em, ref);
    return 'unmapped';
  }
  const context = { tenantId: ref.tenantId, integrationId: ref.integrationId, syncRunId: null };
  const written = await writeAssetsRelinking(em.getKnex(), client, context, [
    { fields: assetFromDevice(device), clientId: chain.effectiveClientId },
  ]);
  if (written.relinked > 0) return 'relinked';
  if (written.created > 0) return 'created';
  if (written.moved > 0) return 'moved';
  if (written.updated > 0) return 'updated';
  return written.assetIds.has(device.id) ? 'unchanged' : 'failed';
}
