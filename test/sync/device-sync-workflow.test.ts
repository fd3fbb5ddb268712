// The device sync run alone, with mocked activities, on the test's Temporal dev server: the mocks
// decide what planning and each chunk answer, so these tests follow the run's place (subtree
// index, cursor, counts) across continue-as-new, and what it does when cancelled or failing.
// (The database side is test/sync/*.test.ts against the Level simulator.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import {
  emptyChunkCounts,
  type ChunkCounts,
  type ChunkInput,
  type ChunkResult,
  type createDeviceSyncActivities,
  type SyncPlan,
  type SyncRunRef,
} from '../../activities/device-sync-activities';
import { progressQuery } from '../../contracts/device-sync';
import { LEVEL_FAILURE_TYPES } from '../../contracts/failures';
import { DEVICE_SYNC_WORKFLOW } from '../../contracts/workflows';
import type { SyncCounts, SyncTrigger } from '../../db/entities/sync-run';
import { PAGES_PER_CHUNK, type deviceSync, type DeviceSyncInput } from '../../workflows/device-sync';
import { waitFor } from '../alerts/fixture';
import { currentDetails } from '../support/history';
import { assertFailedByActivity, failureOf, gate, mockedActivityWorkers } from '../support/mocked-worker';
import { saveFixture, shouldRecord } from '../support/replay-fixtures';
import type { TestEnv } from '../support/test-env';

type SyncActivities = ReturnType<typeof createDeviceSyncActivities>;

/**
 * The cancelled run's history is a replay fixture (test/replay/replay.test.ts replays every one):
 * RECORD_HISTORIES=1, or a list naming it, rewrites it, as the replay test does with its own.
 */
const CANCELLED_FIXTURE = 'deviceSync-cancelled';

/** The run that called the activity running now, and which attempt this is. */
const runIdOfActivity = (): string => Context.current().info.workflowExecution?.runId ?? '';
const attemptOfActivity = (): number => Context.current().info.attempt;

const counts = (partial: Partial<ChunkCounts>): ChunkCounts => ({ ...emptyChunkCounts(), ...partial });

describe('Device sync workflow with mocked activities', function () {
  this.timeout(60_000);
  let env: TestEnv;
  const withWorker = mockedActivityWorkers<SyncActivities>('device-sync-workflow', (started) => (env = started));

  const PLAN: SyncPlan = { rootCount: 2, expected: 10, skipped: 3 };

  interface Recorded<T> {
    input: T;
    runId: string;
    attempt: number;
  }

  /** Mocks of the four activities: the chunks answer `script` in order, one entry per call. */
  function mockActivities(
    script: Array<(input: ChunkInput) => Promise<ChunkResult> | ChunkResult>,
    plan: SyncPlan = PLAN,
  ) {
    const planned: Array<Recorded<SyncRunRef & { workflowId: string; trigger?: SyncTrigger }>> = [];
    const chunks: Array<Recorded<ChunkInput>> = [];
    const finished: Array<Recorded<Parameters<SyncActivities['finishDeviceSync']>[0]>> = [];
    const markedFailed: Array<Recorded<SyncRunRef>> = [];
    const record = <T>(list: Array<Recorded<T>>, input: T) =>
      list.push({ input, runId: runIdOfActivity(), attempt: attemptOfActivity() });
    const activities: Partial<SyncActivities> = {
      planDeviceSync: async (input) => (record(planned, input), plan),
      syncDeviceChunk: async (input) => {
        record(chunks, input);
        const step = script[chunks.length - 1];
        if (!step) throw ApplicationFailure.nonRetryable(`unexpected chunk ${chunks.length}`);
        return step(input);
      },
      finishDeviceSync: async (input): Promise<SyncCounts> => {
        record(finished, input);
        return { ...input.counts, relinked: input.counts.relinked ?? 0, archived: 2 };
      },
      markDeviceSyncFailed: async (input) => void record(markedFailed, input),
    };
    return { activities, planned, chunks, finished, markedFailed };
  }

  async function startSync(taskQueue: string, options: Partial<DeviceSyncInput> = {}) {
    const input: DeviceSyncInput = { tenantId: randomUUID(), integrationId: randomUUID(), ...options };
    const handle = await env.temporalClient.workflow.start<typeof deviceSync>(DEVICE_SYNC_WORKFLOW, {
      workflowId: `test/device-sync/${randomUUID()}`,
      taskQueue,
      args: [input],
    });
    return { handle, input };
  }

  /** The input a run of the workflow started with (a continued run: what its predecessor carried). */
  async function inputOfRun(handle: WorkflowHandle, runId: string): Promise<DeviceSyncInput> {
    const history = await env.temporalClient.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    assert.ok(payload, `run ${runId} has an input`);
    return defaultPayloadConverter.fromPayload<DeviceSyncInput>(payload);
  }

  it('continues as new between chunks with a small history limit, carrying its cursor and counts; plans once and finishes once', async () => {
    const third = gate();
    const mocks = mockActivities([
      () => ({ next: { rootIndex: 0, cursor: 'c1' }, counts: counts({ processed: 3, created: 3, levelRequests: 1 }) }),
      () => ({
        next: { rootIndex: 1, cursor: null },
        counts: counts({ processed: 2, updated: 1, moved: 1, levelRequests: 1 }),
      }),
      async () => {
        await third.opened;
        return {
          next: { rootIndex: 1, cursor: 'c2' },
          counts: counts({ processed: 4, created: 2, skipped: 1, failed: 1, levelRequests: 2 }),
        };
      },
      () => ({ next: { rootIndex: 2, cursor: null }, counts: counts({ processed: 1, relinked: 1, levelRequests: 1 }) }),
    ]);
    await withWorker(mocks.activities, async (taskQueue) => {
      try {
        // Any history is over a limit of 1 event: the run continues as new after every chunk but the last.
        const { handle, input } = await startSync(taskQueue, { pagesPerChunk: 3, maxHistoryEvents: 1 });
        await waitFor('the third chunk asked for', async () => mocks.chunks.length === 3);

        // In the third run, the counts and place of the first two (run 1 fetched subtree 0, run 2 finished it).
        const latest = env.temporalClient.workflow.getHandle(handle.workflowId);
        assert.deepEqual(await latest.query(progressQuery), {
          phase: 'syncing',
          processed: 5,
          expected: 10,
          groupsDone: 1,
          groups: 2,
        });
        assert.equal(await currentDetails(latest), '**syncing**: 5 of 10 devices, 1 of 2 mapped subtrees');
        const syncRunId = mocks.planned[0]!.input.syncRunId;
        // What the third run was started with: ids, the plan's numbers, its place and counts, nothing else.
        assert.deepEqual(await inputOfRun(handle, mocks.chunks[2]!.runId), {
          ...input,
          state: {
            syncRunId,
            plan: PLAN,
            position: { rootIndex: 1, cursor: null },
            counts: counts({ processed: 5, created: 3, updated: 1, moved: 1, levelRequests: 2 }),
          },
        });
        third.open();

        const result = await handle.result();
        assert.equal(mocks.planned.length, 1, 'a continued run does not plan again');
        assert.equal(mocks.planned[0]!.input.trigger, 'manual', 'no trigger: a person');
        assert.equal(mocks.planned[0]!.input.workflowId, handle.workflowId);
        assert.equal(mocks.planned[0]!.runId, handle.firstExecutionRunId);
        // Each chunk starts where the one before ended, with the same sync run, in a run of its own.
        assert.deepEqual(
          mocks.chunks.map(({ input: chunk }) => [chunk.syncRunId, chunk.rootIndex, chunk.cursor, chunk.maxPages]),
          [
            [syncRunId, 0, null, 3],
            [syncRunId, 0, 'c1', 3],
            [syncRunId, 1, null, 3],
            [syncRunId, 1, 'c2', 3],
          ],
        );
        const runIds = mocks.chunks.map((chunk) => chunk.runId);
        assert.equal(runIds[0], handle.firstExecutionRunId);
        assert.equal(new Set(runIds).size, 4, 'every chunk but the last ended its run with continue-as-new');
        // The last chunk finished the plan: the same run finishes instead of continuing as new.
        assert.equal(mocks.finished.length, 1);
        assert.equal(mocks.finished[0]!.runId, runIds[3]);
        assert.deepEqual(mocks.finished[0]!.input, {
          tenantId: input.tenantId,
          integrationId: input.integrationId,
          syncRunId,
          processed: 10,
          // The plan's skipped devices (unmapped groups) join the chunks' own.
          counts: { created: 5, updated: 1, moved: 1, relinked: 1, skipped: 4, failed: 1, levelRequests: 5 },
        });
        assert.deepEqual(result, {
          created: 5,
          updated: 1,
          moved: 1,
          relinked: 1,
          skipped: 4,
          failed: 1,
          levelRequests: 5,
          archived: 2,
        });
        assert.equal(mocks.markedFailed.length, 0);
        assert.deepEqual(await latest.query(progressQuery), {
          phase: 'done',
          processed: 10,
          expected: 10,
          groupsDone: 2,
          groups: 2,
        });
      } finally {
        third.open();
      }
    });
  });

  it('stays in one run while its history is under the default limit, with the default chunk size', async () => {
    const mocks = mockActivities([
      () => ({ next: { rootIndex: 0, cursor: 'c1' }, counts: counts({ processed: 100, created: 100 }) }),
      () => ({ next: { rootIndex: 1, cursor: null }, counts: counts({ processed: 50, updated: 50 }) }),
      () => ({ next: { rootIndex: 2, cursor: null }, counts: counts({ processed: 7, moved: 7 }) }),
    ]);
    await withWorker(mocks.activities, async (taskQueue) => {
      const { handle } = await startSync(taskQueue, { trigger: 'schedule' });
      const result = await handle.result();
      assert.equal(mocks.planned[0]!.input.trigger, 'schedule');
      assert.deepEqual(
        mocks.chunks.map((chunk) => [chunk.runId, chunk.input.maxPages]),
        Array.from({ length: 3 }, () => [handle.firstExecutionRunId, PAGES_PER_CHUNK]),
      );
      assert.equal(mocks.finished[0]!.runId, handle.firstExecutionRunId);
      assert.equal(result.created + result.updated + result.moved, 157);
      assert.equal(result.skipped, PLAN.skipped);
    });
  });

  it('cancelled during a chunk of a continued run: marks the carried sync run failed, reports cancelled and never finishes', async () => {
    const second = gate();
    const mocks = mockActivities([
      () => ({ next: { rootIndex: 0, cursor: 'c1' }, counts: counts({ processed: 3, created: 3 }) }),
      async () => {
        await second.opened;
        return { next: { rootIndex: 2, cursor: null }, counts: counts({ processed: 7, created: 7 }) };
      },
    ]);
    await withWorker(mocks.activities, async (taskQueue) => {
      try {
        const { handle, input } = await startSync(taskQueue, { maxHistoryEvents: 1 });
        await waitFor('the second chunk asked for', async () => mocks.chunks.length === 2);
        assert.notEqual(mocks.chunks[1]!.runId, handle.firstExecutionRunId, 'the second chunk runs in a continued run');

        await handle.cancel();
        assert.ok((await failureOf(handle)) instanceof CancelledFailure, 'the run reports a cancellation');
        assert.equal((await handle.describe()).status.name, 'CANCELLED');
        // The continued run marked the sync run it carried failed before it ended.
        assert.deepEqual(
          mocks.markedFailed.map(({ input: ref, runId }) => [ref, runId]),
          [
            [
              {
                tenantId: input.tenantId,
                integrationId: input.integrationId,
                syncRunId: mocks.planned[0]!.input.syncRunId,
              },
              mocks.chunks[1]!.runId,
            ],
          ],
        );
        // The run is closed: nothing it did not do by now can still happen.
        assert.equal(mocks.finished.length, 0, 'a cancelled run records no completion');
        assert.equal(mocks.chunks.length, 2, 'and asks for no further chunk');
        if (shouldRecord(CANCELLED_FIXTURE)) saveFixture(CANCELLED_FIXTURE, await handle.fetchHistory());
      } finally {
        second.open();
      }
    });
  });

  it('a chunk failing with a non-retryable type: one attempt, the sync run marked failed, the run fails with that type', async () => {
    const mocks = mockActivities([
      () => ({ next: { rootIndex: 1, cursor: null }, counts: counts({ processed: 4, created: 4 }) }),
      () => {
        // Retryable as thrown: only the workflow's retry policy makes this type final.
        throw ApplicationFailure.create({ type: LEVEL_FAILURE_TYPES.auth_rejected, message: 'Level rejected the key' });
      },
    ]);
    await withWorker(mocks.activities, async (taskQueue) => {
      const { handle, input } = await startSync(taskQueue);
      await assertFailedByActivity(handle, LEVEL_FAILURE_TYPES.auth_rejected);
      assert.deepEqual(
        mocks.chunks.map((chunk) => chunk.attempt),
        [1, 1],
        'not retried',
      );
      assert.deepEqual(
        mocks.markedFailed.map((mark) => mark.input),
        [
          {
            tenantId: input.tenantId,
            integrationId: input.integrationId,
            syncRunId: mocks.planned[0]!.input.syncRunId,
          },
        ],
      );
      assert.equal(mocks.finished.length, 0);
    });
  });

  it('survives a chunk failing with a retryable type: the same chunk again (about a second later), counted once', async () => {
    // One entry per call: the retry of the second chunk is the third call.
    const mocks = mockActivities([
      () => ({ next: { rootIndex: 0, cursor: 'c1' }, counts: counts({ processed: 3, created: 3 }) }),
      () => {
        throw ApplicationFailure.create({ type: LEVEL_FAILURE_TYPES.server_error, message: 'Level answered 503' });
      },
      () => ({ next: { rootIndex: 2, cursor: null }, counts: counts({ processed: 7, updated: 7 }) }),
    ]);
    await withWorker(mocks.activities, async (taskQueue) => {
      const { handle } = await startSync(taskQueue);
      const result = await handle.result();
      assert.deepEqual(
        mocks.chunks.map(({ input, attempt }) => [input.rootIndex, input.cursor, attempt]),
        [
          [0, null, 1],
          [0, 'c1', 1],
          [0, 'c1', 2],
        ],
      );
      assert.equal(mocks.markedFailed.length, 0, 'a retried failure is no failed sync');
      assert.equal(mocks.finished.length, 1);
      assert.equal(mocks.finished[0]!.input.processed, 10, 'the failed attempt counted nothing');
      assert.deepEqual([result.created, result.updated], [3, 7]);
    });
  });
});
