// The alert backfill run alone, with a mocked page activity, on the test's Temporal dev server:
// how it follows Level's cursors through active then resolved alerts, what it counts, and what it
// does when a page fails or the run is cancelled. The run has no timer and never continues as new
// (MAX_BACKFILL_PAGES bounds it). (Backfill against the Level simulator: test/alerts/lifecycle.test.ts.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type {
  BackfillPageInput,
  BackfillPageResult,
  createBackfillActivities,
} from '../../activities/backfill-activities';
import type { BackfillAlertsInput } from '../../contracts/alerts';
import { LEVEL_FAILURE_TYPES } from '../../contracts/failures';
import { BACKFILL_ALERTS_WORKFLOW } from '../../contracts/workflows';
import type { backfillAlerts } from '../../workflows/backfill-alerts';
import { currentDetails } from '../support/history';
import { assertFailedByActivity, failureOf, gate, mockedActivityWorkers } from '../support/mocked-worker';
import type { TestEnv } from '../support/test-env';
import { waitFor } from './fixture';

type BackfillActivities = ReturnType<typeof createBackfillActivities>;

const DAY_MS = 24 * 60 * 60 * 1000;
const { EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: ACTIVITY_SCHEDULED } = temporal.api.enums.v1.EventType;

const page = (
  counts: Partial<Omit<BackfillPageResult, 'nextCursor' | 'hasMore'>>,
  nextCursor: string | null,
  hasMore = nextCursor !== null,
): BackfillPageResult => ({ fetched: 0, new: 0, updated: 0, resolved: 0, ...counts, nextCursor, hasMore });

describe('Backfill alerts workflow with a mocked activity', function () {
  this.timeout(60_000);
  let env: TestEnv;
  const withWorker = mockedActivityWorkers<BackfillActivities>('backfill-workflow', (started) => (env = started));

  interface Call {
    input: BackfillPageInput;
    attempt: number;
  }

  /** The page activity answering `script` in order, one entry per call (a retry is a call). */
  function mockPages(script: Array<(input: BackfillPageInput) => Promise<BackfillPageResult> | BackfillPageResult>) {
    const calls: Call[] = [];
    const activities: Partial<BackfillActivities> = {
      backfillAlertsPage: async (input) => {
        calls.push({ input, attempt: Context.current().info.attempt });
        const step = script[calls.length - 1];
        if (!step) throw ApplicationFailure.nonRetryable(`unexpected page ${calls.length}`);
        return step(input);
      },
    };
    return { activities, calls };
  }

  async function startBackfill(taskQueue: string, options: Partial<BackfillAlertsInput> = {}) {
    const input: BackfillAlertsInput = { tenantId: randomUUID(), integrationId: randomUUID(), ...options };
    const handle = await env.temporalClient.workflow.start<typeof backfillAlerts>(BACKFILL_ALERTS_WORKFLOW, {
      workflowId: `test/backfill/${randomUUID()}`,
      taskQueue,
      args: [input],
    });
    return { handle, input };
  }

  /** The resolved alerts' cut-off a run started between `before` and `after` asks for. */
  function assertLookback(resolvedSince: string, days: number, before: number, after: number) {
    const at = Date.parse(resolvedSince);
    // Workflow time is the server's clock at the workflow task: allow a second either side.
    assert.ok(
      at >= before - days * DAY_MS - 1_000 && at <= after - days * DAY_MS + 1_000,
      `resolvedSince ${resolvedSince} is ${days} days before the run`,
    );
  }

  it('pages active alerts by cursor, then resolved ones from the start, and sums what the pages counted', async () => {
    const resolvedAsked = gate();
    const { activities, calls } = mockPages([
      () => page({ fetched: 100, new: 60, updated: 10 }, 'a100'),
      () => page({ fetched: 100, new: 5 }, 'a200'),
      // A cursor without more: the last page.
      () => page({ fetched: 20, new: 2, updated: 1 }, 'a220', false),
      async () => (await resolvedAsked.opened, page({ fetched: 100, resolved: 30 }, 'r100')),
      // More, but no cursor to ask with: the status ends there.
      () => page({ fetched: 100, resolved: 4 }, null, true),
    ]);
    await withWorker(activities, async (taskQueue) => {
      try {
        const before = Date.now();
        const { handle, input } = await startBackfill(taskQueue);
        await waitFor('the first resolved page asked for', async () => calls.length === 4);
        const after = Date.now();
        assert.equal(
          await currentDetails(handle),
          '**Active alerts**, page 3: 220 fetched, 67 new, 11 updated, 0 resolved',
        );
        resolvedAsked.open();
        assert.deepEqual(await handle.result(), { fetched: 420, new: 67, updated: 11, resolved: 34 });
        assert.equal(
          await currentDetails(handle),
          '**Resolved alerts**, page 2: 420 fetched, 67 new, 11 updated, 34 resolved',
        );

        const resolvedSince = calls[0]!.input.resolvedSince;
        assertLookback(resolvedSince, 7, before, after);
        const ref = { tenantId: input.tenantId, integrationId: input.integrationId, resolvedSince };
        assert.deepEqual(
          calls.map((call) => call.input),
          [
            { ...ref, status: 'active' },
            { ...ref, status: 'active', startingAfter: 'a100' },
            { ...ref, status: 'active', startingAfter: 'a200' },
            { ...ref, status: 'resolved' },
            { ...ref, status: 'resolved', startingAfter: 'r100' },
          ],
        );
        assert.ok(
          calls.every((call) => call.attempt === 1),
          'no page retried',
        );
      } finally {
        resolvedAsked.open();
      }
    });
  });

  it('survives a page failing with a retryable type: the same cursor again (about two seconds later), counted once', async () => {
    const { activities, calls } = mockPages([
      () => page({ fetched: 100, new: 100 }, 'a100'),
      () => {
        throw ApplicationFailure.create({ type: LEVEL_FAILURE_TYPES.rate_limited, message: 'Level answered 429' });
      },
      () => page({ fetched: 3, new: 3 }, null),
      () => page({ fetched: 2, resolved: 2 }, null),
    ]);
    await withWorker(activities, async (taskQueue) => {
      const before = Date.now();
      const { handle } = await startBackfill(taskQueue, { resolvedLookbackDays: 1 });
      const result = await handle.result();
      assert.deepEqual(
        calls.map(({ input, attempt }) => [input.status, input.startingAfter, attempt]),
        [
          ['active', undefined, 1],
          ['active', 'a100', 1],
          ['active', 'a100', 2],
          ['resolved', undefined, 1],
        ],
      );
      assert.deepEqual(
        result,
        { fetched: 105, new: 103, updated: 0, resolved: 2 },
        'the failed attempt counted nothing',
      );
      assertLookback(calls[0]!.input.resolvedSince, 1, before, Date.now());
    });
  });

  it('a page failing with a non-retryable type: one attempt, the run fails with that type, no resolved page asked', async () => {
    const { activities, calls } = mockPages([
      () => page({ fetched: 100, new: 100 }, 'a100'),
      () => {
        // Retryable as thrown: only the workflow's retry policy makes this type final.
        throw ApplicationFailure.create({ type: LEVEL_FAILURE_TYPES.auth_rejected, message: 'Level rejected the key' });
      },
    ]);
    await withWorker(activities, async (taskQueue) => {
      const { handle } = await startBackfill(taskQueue);
      await assertFailedByActivity(handle, LEVEL_FAILURE_TYPES.auth_rejected);
      // The run is closed: the calls it made are all it will make.
      assert.deepEqual(
        calls.map(({ input, attempt }) => [input.status, input.startingAfter, attempt]),
        [
          ['active', undefined, 1],
          ['active', 'a100', 1],
        ],
      );
    });
  });

  it('cancelled while a page is fetched: the run reports cancelled and asks for no further page', async () => {
    const secondPage = gate();
    const { activities, calls } = mockPages([
      () => page({ fetched: 100, new: 100 }, 'a100'),
      async () => (await secondPage.opened, page({ fetched: 1, new: 1 }, null)),
    ]);
    await withWorker(activities, async (taskQueue) => {
      try {
        const { handle } = await startBackfill(taskQueue);
        await waitFor('the second page asked for', async () => calls.length === 2);
        await handle.cancel();
        assert.ok((await failureOf(handle)) instanceof CancelledFailure, 'the run reports a cancellation');
        assert.equal((await handle.describe()).status.name, 'CANCELLED');
        // Closed: the history holds every activity it will ever ask for.
        const scheduled = ((await handle.fetchHistory()).events ?? []).filter(
          (event) => event.eventType === ACTIVITY_SCHEDULED,
        );
        assert.equal(scheduled.length, 2, 'no page after the cancelled one, no resolved page');
        assert.equal(calls.length, 2);
      } finally {
        secondPage.open();
      }
    });
  });
});
