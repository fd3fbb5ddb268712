// The tenant's device sync history: one sync_runs row per run, written by the sync's activities
// (planned, then completed or failed), read for the history and `lastSyncAt`. Every write is safe
// to repeat: activities are retried, and a retry must not change a recorded outcome.
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import { SyncRunSchema, type SyncCounts, type SyncRun, type SyncTrigger } from './entities';
import { archiveAssetsNotSeen } from './asset-writer';

const zeroSyncCounts = (): SyncCounts => ({
  created: 0,
  updated: 0,
  moved: 0,
  relinked: 0,
  archived: 0,
  skipped: 0,
  failed: 0,
  levelRequests: 0,
});

export interface PlannedSyncRun {
  tenantId: string;
  integrationId: string;
  syncRunId: string;
  workflowId: string;
  /** The Temporal run that plans the sync (its first). */
  runId: string | null;
  trigger: SyncTrigger;
  expected: number;
  roots: string[];
}

/**
 * Records a run as running; a retried plan keeps what the first stored (its roots above all).
 * Rows of earlier runs of the same workflow id still `running` are recorded failed first: Temporal
 * runs one execution per workflow id, so a run being planned means they ended, without finishing
 * (terminated, timed out, or cancelled before their failure could be recorded).
 */
export async function recordPlannedSyncRun(em: EntityManager, run: PlannedSyncRun): Promise<SyncRun> {
  await em.nativeUpdate(
    SyncRunSchema,
    { tenantId: run.tenantId, workflowId: run.workflowId, status: 'running', id: { $ne: run.syncRunId } },
    { status: 'failed', finishedAt: new Date() },
  );
  await em
    .getKnex()('sync_runs')
    .insert({
      id: run.syncRunId,
      tenant_id: run.tenantId,
      integration_id: run.integrationId,
      workflow_id: run.workflowId,
      run_id: run.runId,
      status: 'running',
      trigger: run.trigger,
      expected: run.expected,
      roots: JSON.stringify(run.roots),
      counts: JSON.stringify(zeroSyncCounts()),
    })
    .onConflict('id')
    .ignore();
  return em.findOneOrFail(SyncRunSchema, { id: run.syncRunId });
}

/**
 * Archives what the run did not see and records it completed with its counts, in one
 * transaction, once: the row is locked and only a running row is completed. A retry after that
 * (the first attempt's answer lost) archives nothing more and answers the counts recorded then,
 * instead of overwriting them with `archived: 0`. `now` tells whether this call completed it.
 */
export async function completeSyncRun(
  em: EntityManager,
  ref: { tenantId: string; integrationId: string; syncRunId: string },
  counts: Omit<SyncCounts, 'archived'>,
  processed: number,
): Promise<{ counts: SyncCounts; now: boolean }> {
  return em.transactional(async (tx) => {
    const run = await tx.findOneOrFail(SyncRunSchema, { id: ref.syncRunId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (run.status === 'completed') return { counts: run.counts, now: false };
    const archived = await archiveAssetsNotSeen(tx, ref);
    const finished: SyncCounts = { ...counts, archived };
    Object.assign(run, { status: 'completed', counts: finished, processed, finishedAt: new Date() });
    await tx.flush();
    return { counts: finished, now: true };
  });
}

/** Records the run failed (a completed run stays completed); true when this call changed it. */
export async function failSyncRun(em: EntityManager, syncRunId: string): Promise<boolean> {
  const changed = await em.nativeUpdate(
    SyncRunSchema,
    { id: syncRunId, status: 'running' },
    { status: 'failed', finishedAt: new Date() },
  );
  return changed > 0;
}

/** When the tenant's last completed device sync finished, or null before the first. */
export async function lastSyncAt(em: EntityManager, tenantId: string): Promise<string | null> {
  const run = await em
    .fork()
    .findOne(
      SyncRunSchema,
      { tenantId, status: 'completed' },
      { orderBy: { finishedAt: 'desc' }, fields: ['finishedAt'] },
    );
  return run?.finishedAt?.toISOString() ?? null;
}
