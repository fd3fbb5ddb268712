// Device Sync: every device of every mapped subtree becomes an asset of its effective client.
// History holds only ids, cursors and counts; the run continues as new before its history grows
// large, carrying its place (subtree index and cursor) and its counts forward.
import {
  CancellationScope,
  continueAsNew,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  ChunkCounts,
  createDeviceSyncActivities,
  SyncPlan,
  SyncPosition,
  SyncRunRef,
} from '../activities/device-sync-activities';
import type { SyncCounts, SyncTrigger } from '../db/entities/sync-run';
import { progressQuery, type DeviceSyncProgress } from '../contracts/device-sync';
import { NON_RETRYABLE_ERROR_TYPES } from '../contracts/failures';

export interface DeviceSyncInput {
  tenantId: string;
  integrationId: string;
  /** What started it (recorded on the sync run); absent: a person. */
  trigger?: SyncTrigger;
  /** Carried across continue-as-new; absent on the first run. */
  state?: DeviceSyncState;
  /** Tuning (tests use small values to exercise chunking and continue-as-new). */
  pagesPerChunk?: number;
  maxHistoryEvents?: number;
}

export interface DeviceSyncState {
  syncRunId: string;
  plan: SyncPlan;
  position: SyncPosition;
  counts: ChunkCounts;
}

export type DeviceSyncResult = SyncCounts;

/** Pages per activity: 10 pages of 100 devices between workflow checkpoints. */
export const PAGES_PER_CHUNK = 10;
/** Continue as new well before Temporal's history limits. */
const MAX_HISTORY_EVENTS = 2_000;

const activities = proxyActivities<ReturnType<typeof createDeviceSyncActivities>>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
});

export async function deviceSync(input: DeviceSyncInput): Promise<DeviceSyncResult> {
  const ref = { tenantId: input.tenantId, integrationId: input.integrationId };
  let progress: DeviceSyncProgress = { phase: 'planning', processed: 0, expected: 0, groupsDone: 0, groups: 0 };
  setHandler(progressQuery, () => progress);

  const state = input.state ?? (await plan(ref, input.trigger ?? 'manual'));
  const run = { ...ref, syncRunId: state.syncRunId };
  const report = (phase: DeviceSyncProgress['phase']) => {
    progress = {
      phase,
      processed: state.counts.processed,
      expected: state.plan.expected,
      groupsDone: state.position.rootIndex,
      groups: state.plan.rootCount,
    };
    setCurrentDetails(
      `**${phase}**: ${progress.processed} of ${progress.expected} devices, ${progress.groupsDone} of ${progress.groups} mapped subtrees`,
    );
  };
  report('syncing');

  let finished: boolean;
  try {
    finished = await syncSubtrees(run, state, report, {
      pagesPerChunk: input.pagesPerChunk ?? PAGES_PER_CHUNK,
      maxHistoryEvents: input.maxHistoryEvents ?? MAX_HISTORY_EVENTS,
    });
  } catch (err) {
    // Also when the run was cancelled: the mark must still run, so not in the cancelled scope.
    await CancellationScope.nonCancellable(() => activities.markDeviceSyncFailed(run));
    throw err;
  }
  if (!finished) return continueAsNew<typeof deviceSync>({ ...input, state });

  report('finishing');
  const { processed, skipped, ...written } = state.counts;
  const result = await activities.finishDeviceSync({
    ...run,
    counts: { ...written, skipped: skipped + state.plan.skipped },
    processed,
  });
  report('done');
  return result;
}

/** Works through the subtrees chunk by chunk; false when the run should continue as new first. */
async function syncSubtrees(
  run: SyncRunRef,
  state: DeviceSyncState,
  report: (phase: DeviceSyncProgress['phase']) => void,
  limits: { pagesPerChunk: number; maxHistoryEvents: number },
): Promise<boolean> {
  while (state.position.rootIndex < state.plan.rootCount) {
    const chunk = await activities.syncDeviceChunk({ ...run, ...state.position, maxPages: limits.pagesPerChunk });
    state.counts = addCounts(state.counts, chunk.counts);
    state.position = chunk.next;
    report('syncing');
    const done = state.position.rootIndex >= state.plan.rootCount;
    if (!done && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > limits.maxHistoryEvents))
      return false;
  }
  return true;
}

async function plan(ref: { tenantId: string; integrationId: string }, trigger: SyncTrigger): Promise<DeviceSyncState> {
  const syncRunId = uuid4();
  const syncPlan = await activities.planDeviceSync({
    ...ref,
    syncRunId,
    workflowId: workflowInfo().workflowId,
    trigger,
  });
  return {
    syncRunId,
    plan: syncPlan,
    position: { rootIndex: 0, cursor: null },
    counts: { processed: 0, created: 0, updated: 0, moved: 0, relinked: 0, skipped: 0, failed: 0, levelRequests: 0 },
  };
}

function addCounts(a: ChunkCounts, b: ChunkCounts): ChunkCounts {
  return {
    processed: a.processed + b.processed,
    created: a.created + b.created,
    updated: a.updated + b.updated,
    moved: a.moved + b.moved,
    // Counts carried or recorded before relinks existed have none (no command depends on it: replay-safe).
    relinked: (a.relinked ?? 0) + (b.relinked ?? 0),
    skipped: a.skipped + b.skipped,
    failed: a.failed + b.failed,
    levelRequests: a.levelRequests + b.levelRequests,
  };
}
