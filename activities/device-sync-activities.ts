// Device Sync activities. The workflow holds only ids, cursors and counts; devices flow from
// Level to PostgreSQL inside these activities, a chunk of pages at a time, with the page cursor
// heartbeated so a retried chunk (say, after a worker crash) resumes where the last one stopped.
import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SyncRunSchema, type SyncCounts } from '../db/entities';
import { loadGroupTree, type GroupTree } from '../db/group-tree-store';
import { assetFromDevice } from '../domain/asset-from-device';
import { effectiveClientForDevice } from '../domain/group-tree';
import type { DeviceInclude } from '../level/client';
import { writeAssetBatch, type AssetRow } from './asset-writer';
import type { ActivityDeps } from './deps';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

/** Detail Level adds to each device for the asset's fields (still one request per page). */
export const SYNC_DEVICE_INCLUDES: DeviceInclude[] = ['operating_system', 'cpus', 'disks', 'network_interfaces'];

export interface SyncRunRef {
  tenantId: string;
  integrationId: string;
  syncRunId: string;
}

export interface SyncPlan {
  roots: Array<{ levelGroupId: string; expected: number }>;
  expected: number;
  skipped: number;
}

export interface ChunkInput extends SyncRunRef {
  rootGroupId: string;
  cursor: string | null;
  maxPages: number;
}

export interface ChunkCounts {
  processed: number;
  created: number;
  updated: number;
  moved: number;
  skipped: number;
  failed: number;
  levelRequests: number;
}

export interface ChunkResult {
  nextCursor: string | null;
  counts: ChunkCounts;
}

interface ChunkCheckpoint {
  cursor: string | null;
  counts: ChunkCounts;
}

export const emptyChunkCounts = (): ChunkCounts => ({ processed: 0, created: 0, updated: 0, moved: 0, skipped: 0, failed: 0, levelRequests: 0 });

export function createDeviceSyncActivities(deps: ActivityDeps) {
  // Each chunk of a run resolves the same mapping; keep the last run's tree per process.
  let cachedTree: { syncRunId: string; tree: Promise<GroupTree> } | undefined;
  const treeFor = (em: EntityManager, ref: SyncRunRef) => {
    if (cachedTree?.syncRunId !== ref.syncRunId) cachedTree = { syncRunId: ref.syncRunId, tree: loadGroupTree(em, ref.tenantId) };
    return cachedTree.tree;
  };

  return {
    /** Records the run and decides what to fetch: the top-most mapped groups' subtrees. */
    async planDeviceSync(input: SyncRunRef & { workflowId: string }): Promise<SyncPlan> {
      const em = deps.orm.em.fork();
      await em.getKnex()('sync_runs')
        .insert({ id: input.syncRunId, tenant_id: input.tenantId, integration_id: input.integrationId, workflow_id: input.workflowId, status: 'running', counts: JSON.stringify(zeroSyncCounts()) })
        .onConflict('id')
        .ignore();
      const tree = await loadGroupTree(em, input.tenantId);
      const byId = new Map(tree.groups.map((g) => [g.row.levelGroupId, g.row]));
      const roots = tree.syncRoots.map((id) => ({ levelGroupId: id, expected: byId.get(id)?.descendantDeviceCount ?? 0 }));
      const skipped = tree.groups.filter((g) => !g.row.removed && g.resolved.effectiveClientId === null).reduce((sum, g) => sum + g.row.deviceCount, 0);
      const expected = roots.reduce((sum, root) => sum + root.expected, 0);
      await em.nativeUpdate(SyncRunSchema, { id: input.syncRunId }, { expected });
      return { roots, expected, skipped };
    },

    /** Fetches up to maxPages pages of one subtree and upserts them as assets. */
    async syncDeviceChunk(input: ChunkInput): Promise<ChunkResult> {
      const em = deps.orm.em.fork();
      const resumed = activityInfo().heartbeatDetails as ChunkCheckpoint | undefined;
      let cursor = resumed?.cursor ?? input.cursor;
      const counts = resumed?.counts ?? emptyChunkCounts();
      const requestsBefore = counts.levelRequests;
      const { client } = await openBudgetedLevelClient(deps, em, input.integrationId);
      const tree = await treeFor(em, input);
      const knex = em.getKnex();
      for (let page = 0; page < input.maxPages; page++) {
        // A worker shutting down cancels us: stop between pages; the retry resumes from the heartbeat.
        cancellationSignal().throwIfAborted();
        let result;
        try {
          result = await client.listDevicesPage({ ancestorGroupId: input.rootGroupId, include: SYNC_DEVICE_INCLUDES, startingAfter: cursor ?? undefined });
        } catch (err) {
          // Keep the requests this attempt spent in the checkpoint: the retry counts them too.
          heartbeat({ cursor, counts: { ...counts, levelRequests: requestsBefore + client.requestCount } } satisfies ChunkCheckpoint);
          throw toActivityFailure(err);
        }
        const rows: AssetRow[] = [];
        for (const device of result.data) {
          const clientId = effectiveClientForDevice(device.group_id ?? null, tree.index);
          if (!clientId) {
            counts.skipped += 1;
            continue;
          }
          try {
            rows.push({ fields: assetFromDevice(device), clientId });
          } catch {
            counts.failed += 1;
          }
        }
        const written = await writeAssetBatch(knex, input, rows);
        counts.processed += result.data.length;
        counts.created += written.created;
        counts.updated += written.updated;
        counts.moved += written.moved;
        counts.failed += written.failed;
        counts.levelRequests = requestsBefore + client.requestCount;
        cursor = result.hasMore ? result.nextCursor : null;
        heartbeat({ cursor, counts } satisfies ChunkCheckpoint);
        if (!cursor) break;
      }
      return { nextCursor: cursor, counts };
    },

    /** Archives what this run did not see, and records the run's final counts. */
    async finishDeviceSync(input: SyncRunRef & { counts: Omit<SyncCounts, 'archived'>; processed: number }): Promise<SyncCounts> {
      const em = deps.orm.em.fork();
      const archived = await em.getKnex()('assets')
        .where({ tenant_id: input.tenantId, integration_id: input.integrationId, archived: false })
        .andWhere((q) => q.whereNull('last_sync_run_id').orWhereNot('last_sync_run_id', input.syncRunId))
        .update({ archived: true, archived_at: new Date(), updated_at: new Date() });
      const counts: SyncCounts = { ...input.counts, archived };
      await em.nativeUpdate(SyncRunSchema, { id: input.syncRunId }, { status: 'completed', counts, processed: input.processed, finishedAt: new Date() });
      return counts;
    },

    async markDeviceSyncFailed(input: SyncRunRef): Promise<void> {
      await deps.orm.em.fork().nativeUpdate(SyncRunSchema, { id: input.syncRunId }, { status: 'failed', finishedAt: new Date() });
    },
  };
}

export const zeroSyncCounts = (): SyncCounts => ({ created: 0, updated: 0, moved: 0, archived: 0, skipped: 0, failed: 0, levelRequests: 0 });
