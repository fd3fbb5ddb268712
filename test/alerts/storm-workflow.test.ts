// The storm run alone, with a mocked activity, on the test's Temporal dev server: what it counts
// and hands to each arrival's transaction, repeats dropped, the count reset by a storm and carried
// across continue-as-new. (The database side is test/alerts/storm-grouping.test.ts.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, fromPayloadsAtIndex } from '@temporalio/common';
import type { createStormActivities } from '../../activities/storm-activities';
import { stormArrivalSignal, type StormArrival, type StormGroupingInput } from '../../contracts/storm';
import { STORM_GROUPING_WORKFLOW } from '../../contracts/workflows';
import type { StormArrivalWork, StormStepOutcome } from '../../db/storm-store';
import { ARRIVALS_PER_RUN } from '../../workflows/storm-grouping';
import { currentDetails, settledAfterSignals } from '../support/history';
import { replayAndRecord } from '../support/replay-fixtures';
import { mockedActivityWorkers } from '../support/mocked-worker';
import type { TestEnv } from '../support/test-env';
import { waitFor } from './fixture';

type StormActivities = ReturnType<typeof createStormActivities>;

/** A run that continued as new with arrivals still queued (test/replay replays every fixture). */
const FIXTURE = 'stormGrouping-continued';

describe('Storm grouping workflow with a mocked activity', function () {
  this.timeout(90_000);
  let env: TestEnv;
  const withWorker = mockedActivityWorkers<StormActivities>('storm-workflow', (started) => (env = started));

  const tenantId = randomUUID();
  const key = { clientId: randomUUID(), condition: null };

  const arrival = (alertId: string, threshold = 3): StormArrival => ({
    arrivalId: randomUUID(),
    tenantId,
    integrationId: randomUUID(),
    key,
    alertId,
    levelAlertId: `level-${alertId}`,
    alertName: 'Ping loss',
    threshold,
    windowMinutes: 5,
    groupBy: 'client',
    ticket: {
      title: 'Ping loss',
      description: '',
      priority: 'medium',
      assignee: null,
      ruleId: randomUUID(),
      levelDeviceId: 'dev',
      conditionKey: 'dev:ping loss',
      assetId: null,
      recurredAt: new Date().toISOString(),
    },
    snapshot: {
      levelAlertId: `level-${alertId}`,
      levelDeviceId: 'dev',
      name: 'Ping loss',
      description: null,
      severity: 'warning',
      startedAt: null,
      resolvedAt: null,
      hostname: null,
      levelGroupId: null,
    },
  });

  async function startRun(taskQueue: string, first: StormArrival): Promise<WorkflowHandle> {
    const input: StormGroupingInput = { tenantId, key };
    return env.temporalClient.workflow.signalWithStart(STORM_GROUPING_WORKFLOW, {
      workflowId: `test/storm/${randomUUID()}`,
      taskQueue,
      args: [input],
      signal: stormArrivalSignal,
      signalArgs: [first],
    });
  }

  /** A mock of the transaction: own tickets below the threshold, then a storm (attach while "open"). */
  function mockStore(calls: StormArrivalWork[], skip: Set<string> = new Set()) {
    let parentOpen = false;
    return async (work: StormArrivalWork): Promise<StormStepOutcome> => {
      calls.push(work);
      const alertId = work.arrival.alertId;
      if (skip.has(alertId)) return { step: 'skipped', alertId };
      if (parentOpen) return { step: 'attached', alertId, ticketId: 'parent', ticketNumber: 1, alerts: 0, devices: 0 };
      if (work.earlierAlertIds.length + 1 >= work.arrival.threshold) {
        parentOpen = true;
        return {
          step: 'opened',
          alertId,
          ticketId: 'parent',
          ticketNumber: 1,
          alerts: 0,
          devices: 0,
          groupedTicketIds: [],
          movedAlertIds: work.earlierAlertIds,
        };
      }
      return { step: 'own', alertId, ticketId: `own-${alertId}`, created: false };
    };
  }

  it('counts distinct alerts, drops repeated arrivals, leaves skipped ones out, and hands the earlier alerts to the storm', async () => {
    const calls: StormArrivalWork[] = [];
    await withWorker({ processStormArrival: mockStore(calls, new Set(['b'])) }, async (taskQueue) => {
      const first = arrival('a');
      const handle = await startRun(taskQueue, first);
      await handle.signal(stormArrivalSignal, first); // a resent arrival: dropped
      await handle.signal(stormArrivalSignal, arrival('b')); // resolved before it was processed: skipped, not counted
      await handle.signal(stormArrivalSignal, arrival('a')); // the same alert again (re-fired): processed, counted once
      await handle.signal(stormArrivalSignal, arrival('c'));
      await settledAfterSignals(env.temporalClient, handle.workflowId, 5);
      assert.deepEqual(
        calls.map((call) => [call.arrival.alertId, call.earlierAlertIds]),
        [
          ['a', []],
          ['b', ['a']],
          ['a', []],
          ['c', ['a']],
        ],
      );
      // The third distinct alert reaches the threshold of 3: the storm takes a and c.
      await handle.signal(stormArrivalSignal, arrival('d'));
      await waitFor('the storm opened', async () => calls.length === 5);
      assert.deepEqual(calls[4]!.earlierAlertIds, ['a', 'c']);
      // Alerts grouped into a storm leave the count: the next arrival starts from nothing.
      await handle.signal(stormArrivalSignal, arrival('e'));
      await waitFor('the next arrival', async () => calls.length === 6);
      assert.deepEqual(calls[5]!.earlierAlertIds, []);
      await waitFor('the details', async () => (await currentDetails(handle)).startsWith('Storm ticket #1 open'));
      await handle.terminate('test done');
    });
  });

  it('carries the count and the arrivals still queued across continue-as-new', async () => {
    const calls: StormArrivalWork[] = [];
    const store = mockStore(calls);
    let allSent!: () => void;
    const sent = new Promise<void>((resolve) => (allSent = resolve));
    // The run's last arrival before continuing as new waits until every arrival was sent, so
    // arrivals are queued (or arrive with the completing task) when the run continues as new.
    const processed = () => new Set(calls.map((call) => call.arrival.arrivalId)).size;
    const holdAtLast = async (work: StormArrivalWork) => {
      const outcome = await store(work);
      if (processed() === ARRIVALS_PER_RUN) await sent;
      return outcome;
    };
    await withWorker({ processStormArrival: holdAtLast }, async (taskQueue) => {
      const handle = await startRun(taskQueue, arrival('alert-0', 1000));
      const firstRunId = (await handle.describe()).runId;
      for (let next = 1; next <= ARRIVALS_PER_RUN + 5; next += 25) {
        await Promise.all(
          Array.from({ length: Math.min(25, ARRIVALS_PER_RUN + 6 - next) }, (_, i) =>
            handle.signal(stormArrivalSignal, arrival(`alert-${next + i}`, 1000)),
          ),
        );
      }
      allSent();
      // A local activity is at least once (one whose workflow task failed to complete runs again):
      // the store's action id makes that harmless; here, count arrivals.
      await waitFor('every arrival processed', async () => processed() === ARRIVALS_PER_RUN + 6, 60_000);
      // The last arrival's transaction can finish before the task that continues as new completes.
      await waitFor('the run continued as new', async () => (await handle.describe()).runId !== firstRunId);
      const carried = await carriedInput(firstRunId, handle.workflowId);
      assert.ok(carried.pending.length > 0, 'arrivals queued at the end of the first run went to the next');
      // The continuing path's history, replayed (and kept as a fixture when RECORD_HISTORIES names it).
      await replayAndRecord(env.temporalClient.workflow.getHandle(handle.workflowId, firstRunId), FIXTURE);
      // The arrivals raced (sent 25 at a time): the one processed last had all the others before it.
      assert.equal(
        Math.max(...calls.map((call) => call.earlierAlertIds.length)),
        ARRIVALS_PER_RUN + 5,
        'the new run still counts every earlier alert of the window',
      );
      await handle.terminate('test done');
    });
  });

  /** The input a run handed to the run it continued as. */
  async function carriedInput(runId: string, workflowId: string) {
    const history = await env.temporalClient.workflow.getHandle(workflowId, runId).fetchHistory();
    const continued = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes;
    assert.ok(continued, 'the first run ended by continuing as new');
    const next = fromPayloadsAtIndex<StormGroupingInput>(defaultPayloadConverter, 0, continued.input?.payloads);
    return next.carried!;
  }
});
