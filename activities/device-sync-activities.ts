// Device Sync activities. The workflow holds only ids, cursors and counts; devices flow from
// Level to PostgreSQL inside these activities, a chunk of pages at a time, with the page cursor
// heartbeated so a retried chunk (say, after a worker crash) resumes where the last one stopped.
import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { SyncRunSchema, type SyncCounts, type SyncTrigger } from '../db/entities';
import { loadGroupTree, type GroupTree } from '../db/group-tree-store';
import { completeSyncRun, failSyncRun, recordPlannedSyncRun } from '../db/sync-run-store';
import { assetFromDevice } from '../domain/asset-from-device';
import { effectiveClientForDevice } from '../domain/group-tree';
import type { DeviceInclude, LevelClient } from '../level/client';
import type { LevelDevice } from '../level/schemas';
import type { AssetRow } from '../db/asset-writer';
import { writeAssetsRelinking } from './asset-relinks';
import type { ActivityDeps } from './deps';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';
import { countFailedSync, countFinishedSync } from '../metrics/sync-metrics';

/** Detail Level adds to each device for the asset's fields (still one request per page). */
export const SYNC_DEVICE_INCLUDES: DeviceInclude[] = ['operating_system', 'cpus', 'disks', 'network_interfaces'];

export interface SyncRunRef {
  tenantId: string;
  integrationId: string;
  syncRunId: string;
}

export interface SyncPlan {
  /** How many subtrees (top-most mapped groups) the run covers; their ids stay in the database. */
  rootCount: number;
  expected: number;
  skipped: number;
}

/** Where a run stands: the subtree being fetched and the page cursor within it. */
export interface SyncPosition {
  rootIndex: number;
  cursor: string | null;
}

export interface ChunkInput extends SyncRunRef, SyncPosition {
  maxPages: number;
}

export interface ChunkCounts {
  processed: number;
  created: number;
  updated: number;
  moved: number;
  /** Existing assets taken over by re-enrolled devices (relink by serial). */
  relinked: number;
  skipped: number;
  failed: number;
  levelRequests: number;
}

export interface ChunkResult {
  /** Where the next chunk starts; rootIndex equals the root count when the run is done. */
  next: SyncPosition;
  counts: ChunkCounts;
}

interface ChunkCheckpoint {
  position: SyncPosition;
  counts: ChunkCounts;
}

export const emptyChunkCounts = (): ChunkCounts => ({
  processed: 0,
  created: 0,
  updated: 0,
  moved: 0,
  relinked: 0,
  skipped: 0,
  failed: 0,
  levelRequests: 0,
});

export function createDeviceSyncActivities(deps: ActivityDeps) {
  // Every chunk of a run resolves the same mapping and roots: keep the last run's per process.
  let cached: { syncRunId: string; context: Promise<RunContext> } | undefined;
  const contextFor = (em: EntityManager, ref: SyncRunRef) => {
    if (cached?.syncRunId !== ref.syncRunId) {
      const entry = { syncRunId: ref.syncRunId, context: loadRunContext(em, ref) };
      // A load that failed (the database away for a moment) is not kept: the retry loads again.
      entry.context.catch(() => {
        if (cached === entry) cached = undefined;
      });
      cached = entry;
    }
    return cached.context;
  };

  return {
    /** Records the run and decides what to fetch: the top-most mapped groups' subtrees. */
    async planDeviceSync(input: SyncRunRef & { workflowId: string; trigger?: SyncTrigger }): Promise<SyncPlan> {
      const em = deps.orm.em.fork();
      const tree = await loadGroupTree(em, input.tenantId);
      const byId = new Map(tree.groups.map((g) => [g.row.levelGroupId, g.row]));
      const expected = tree.syncRoots.reduce((sum, id) => sum + (byId.get(id)?.descendantDeviceCount ?? 0), 0);
      const skipped = tree.groups
        .filter((g) => !g.row.removed && g.resolved.effectiveClientId === null)
        .reduce((sum, g) => sum + g.row.deviceCount, 0);
      // A retried plan keeps the roots it stored first, so chunk indexes stay meaningful.
      const stored = await recordPlannedSyncRun(em, {
        ...input,
        // Plans run once, in the sync's first run: the one its history row links to.
        runId: activityInfo().workflowExecution?.runId ?? null,
        // Histories recorded before triggers existed replay without one: a person started those.
        trigger: input.trigger ?? 'manual',
        expected,
        roots: tree.syncRoots,
      });
      return { rootCount: stored.roots.length, expected: stored.expected, skipped };
    },

    /**
     * Fetches up to maxPages pages, moving on to the next subtree when one ends, and upserts
     * them as assets. The next page is fetched while the current one is written: still one
     * Level request at a time, but neither side waits for the other.
     */
    async syncDeviceChunk(input: ChunkInput): Promise<ChunkResult> {
      const em = deps.orm.em.fork();
      const resumed = activityInfo().heartbeatDetails as ChunkCheckpoint | undefined;
      let position = resumed?.position ?? { rootIndex: input.rootIndex, cursor: input.cursor };
      const counts = resumed?.counts ?? emptyChunkCounts();
      const requestsBefore = counts.levelRequests;
      const { client } = await openBudgetedLevelClient(deps, em, input.integrationId);
      const { tree, roots } = await contextFor(em, input);
      const knex = em.getKnex();
      const fetchPage = (at: SyncPosition) => {
        const page = client.listDevicesPage({
          ancestorGroupId: roots[at.rootIndex]!,
          include: SYNC_DEVICE_INCLUDES,
          startingAfter: at.cursor ?? undefined,
        });
        page.catch(() => undefined); // awaited below; until then a failure is not "unhandled"
        return page;
      };
      let next = position.rootIndex < roots.length ? fetchPage(position) : undefined;
      for (let page = 0; next; page++) {
        // A worker shutting down cancels us: stop between pages; the retry resumes from the heartbeat.
        cancellationSignal().throwIfAborted();
        let result;
        try {
          result = await next;
        } catch (err) {
          // Keep the requests this attempt spent in the checkpoint: the retry counts them too.
          heartbeat({
            position,
            counts: { ...counts, levelRequests: requestsBefore + client.requestCount },
          } satisfies ChunkCheckpoint);
          throw toActivityFailure(err);
        }
        const after: SyncPosition =
          result.hasMore && result.nextCursor
            ? { rootIndex: position.rootIndex, cursor: result.nextCursor }
            : { rootIndex: position.rootIndex + 1, cursor: null };
        next = page + 1 < input.maxPages && after.rootIndex < roots.length ? fetchPage(after) : undefined;
        const written = await writeDevices(knex, client, input, tree, result.data);
        addInto(counts, written);
        position = after;
        // The prefetched request is counted once it has been answered (next iteration).
        counts.levelRequests = requestsBefore + client.requestCount - (next ? 1 : 0);
        heartbeat({ position, counts } satisfies ChunkCheckpoint);
      }
      return { next: position, counts };
    },

    /** Archives what this run did not see, and records the run's final counts. */
    async finishDeviceSync(
      input: SyncRunRef & {
        counts: Omit<SyncCounts, 'archived' | 'relinked'> & { relinked?: number };
        processed: number;
      },
    ): Promise<SyncCounts> {
      // A run begun before relinks existed carries no relinked count.
      const finished = await completeSyncRun(
        deps.orm.em.fork(),
        input,
        { ...input.counts, relinked: input.counts.relinked ?? 0 },
        input.processed,
      );
      // A retried finish (its first attempt completed, its answer was lost) counts nothing twice.
      if (finished.now) countFinishedSync(finished.counts);
      return finished.counts;
    },

    async markDeviceSyncFailed(input: SyncRunRef): Promise<void> {
      if (await failSyncRun(deps.orm.em.fork(), input.syncRunId)) countFailedSync();
    },
  };
}

interface RunContext {
  tree: GroupTree;
  roots: string[];
}

async function loadRunContext(em: EntityManager, ref: SyncRunRef): Promise<RunContext> {
  const [tree, run] = await Promise.all([
    loadGroupTree(em, ref.tenantId),
    em.findOneOrFail(SyncRunSchema, { id: ref.syncRunId }),
  ]);
  return { tree, roots: run.roots };
}

/** Maps one page of devices to assets of their effective clients and writes them. */
async function writeDevices(
  knex: Knex,
  client: LevelClient,
  ref: SyncRunRef,
  tree: GroupTree,
  devices: LevelDevice[],
): Promise<Omit<ChunkCounts, 'levelRequests'>> {
  const counts = { processed: devices.length, created: 0, updated: 0, moved: 0, relinked: 0, skipped: 0, failed: 0 };
  const rows: AssetRow[] = [];
  for (const device of devices) {
    const clientId = effectiveClientForDevice(device.group_id ?? null, tree.index);
    if (!clientId) {
      counts.skipped += 1; // e.g. a group discovered after the mapping was resolved
      continue;
    }
    try {
      rows.push({ fields: assetFromDevice(device), clientId });
    } catch {
      counts.failed += 1;
    }
  }
  const written = await writeAssetsRelinking(knex, client, ref, rows);
  return {
    ...counts,
    created: written.created,
    updated: written.updated,
    moved: written.moved,
    relinked: written.relinked,
    failed: counts.failed + written.failed,
  };
}

function addInto(total: ChunkCounts, part: Omit<ChunkCounts, 'levelRequests'>): void {
  total.processed += part.processed;
  total.created += part.created;
  total.updated += part.updated;
  total.moved += part.moved;
  total.relinked = (total.relinked ?? 0) + part.relinked; // a checkpoint from before relinks has none
  total.skipped += part.skipped;
  total.failed += part.failed;
}
