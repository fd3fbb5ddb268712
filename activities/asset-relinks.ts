// Relink by serial, the Level half. db/asset-writer.ts finds the assets a never-seen device could
// take over (same client, serial number and hostname); an archived one is free, but an active one
// may belong to a device that is still enrolled — a duplicate enrollment, or a device further on
// in this very sync — so it is taken over only once Level answers 404 for its own device. The
// question costs one budgeted request per such candidate, and candidates are rare: a device id the
// tenant has never seen whose serial and hostname match an existing asset of its client.
import type { Knex } from '@mikro-orm/postgresql';
import {
  findRelinkCandidates,
  writeAssetBatch,
  type AssetBatchContext,
  type AssetRow,
  type Relink,
  type RelinkCandidate,
} from '../db/asset-writer';
import type { LevelClient } from '../level/client';
import { LevelNotFoundError } from '../level/errors';
import { toActivityFailure } from './level-failure';

/** Writes a batch of assets; devices re-enrolled under a new Level id take over their old asset. */
export async function writeAssetsRelinking(
  knex: Knex,
  client: Pick<LevelClient, 'getDevice'>,
  context: AssetBatchContext,
  rows: AssetRow[],
) {
  const candidates = await findRelinkCandidates(knex, context, rows);
  const relinks = candidates.length === 0 ? [] : await chooseRelinks(client, candidates);
  return writeAssetBatch(knex, context, rows, relinks);
}

/**
 * For each new device, the first candidate (most recently synced first) that is archived or whose
 * device Level no longer has; an asset goes to one device at most.
 */
async function chooseRelinks(client: Pick<LevelClient, 'getDevice'>, candidates: RelinkCandidate[]): Promise<Relink[]> {
  const relinks = new Map<string, Relink>();
  const takenAssets = new Set<string>();
  const gone = new Map<string, boolean>();
  for (const candidate of candidates) {
    if (relinks.has(candidate.levelDeviceId) || takenAssets.has(candidate.assetId)) continue;
    let deviceGone = false;
    if (!candidate.archived) {
      if (!gone.has(candidate.previousDeviceId))
        gone.set(candidate.previousDeviceId, await isDeviceGone(client, candidate.previousDeviceId));
      deviceGone = gone.get(candidate.previousDeviceId) === true;
      if (!deviceGone) continue; // still enrolled: a live asset is not stolen
    }
    relinks.set(candidate.levelDeviceId, {
      levelDeviceId: candidate.levelDeviceId,
      assetId: candidate.assetId,
      previousDeviceId: candidate.previousDeviceId,
      deviceGone,
    });
    takenAssets.add(candidate.assetId);
  }
  return [...relinks.values()];
}

async function isDeviceGone(client: Pick<LevelClient, 'getDevice'>, levelDeviceId: string): Promise<boolean> {
  try {
    await client.getDevice(levelDeviceId);
    return false;
  } catch (err) {
    if (err instanceof LevelNotFoundError) return true;
    throw toActivityFailure(err);
  }
}
