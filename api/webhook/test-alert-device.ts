// The device the card's test alert names: a synced device of a group a mapping covers, so the
// test alert ends in a ticket through the rules like a real one (an alert of a device no mapping
// covers would be recorded `unmapped`, with no ticket).
import type { EntityManager } from '@mikro-orm/postgresql';
import { AssetSchema, type Asset } from '../../db/entities';
import { loadGroupTree } from '../../db/group-tree-store';
import { effectiveClientForDevice } from '../../domain/group-tree';
import { ApiError } from '../errors';

/** Assets looked at: the oldest ones; one of them is almost always still covered. */
const CANDIDATES = 50;

export async function testAlertDevice(em: EntityManager, tenantId: string): Promise<Asset> {
  const assets = await em.find(
    AssetSchema,
    { tenantId, archived: false },
    { orderBy: { createdAt: 'asc', id: 'asc' }, limit: CANDIDATES },
  );
  const tree = assets.length > 0 ? await loadGroupTree(em, tenantId) : null;
  const covered = tree
    ? assets.find((asset) => effectiveClientForDevice(asset.levelGroupId ?? null, tree.index) !== null)
    : undefined;
  if (!covered) {
    throw new ApiError(
      409,
      'nothing_mapped',
      'No synced device of a mapped group to send the test alert for: map a Level group to a client (Sync & Group Mappings) and run Device Sync first.',
    );
  }
  return covered;
}
