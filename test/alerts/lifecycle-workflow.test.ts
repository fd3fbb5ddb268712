// The alert workflow alone, with mocked activities, on the test's Temporal dev server: a worker on
// its own task queue runs the real workflow bundle, and the mocks decide what routing answers —
// including how long a hold lasts, so nothing here waits on real minutes. (Temporal's
// time-skipping test server would need a download this machine cannot make.)
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type {
  createAlertResolutionActivities,
  ResolveAlertInput,
  ResolveOutcome,
} from '../../activities/alert-resolution-activities';
import {
  alertStateOf,
  type createAlertRoutingActivities,
  type RouteOutcome,
  type RouteStoredAlertInput,
} from '../../activities/alert-routing-activities';
import type { createHealthSnapshotActivities, RecordHealthSnapshotInput } from '../../activities/health-snapshot';
import {
  alertEventSignal,
  type AlertEvent,
  type AlertLifecycleInput,
  type AlertSnapshot,
  type CarriedAlertState,
} from '../../contracts/alerts';
import { ALERT_LIFECYCLE_WORKFLOW } from '../../contracts/workflows';
import { EVENTS_PER_RUN } from '../../workflows/alert-lifecycle';
import { currentDetails, settledAfterSignals } from '../support/history';
import { mockedActivityWorkers } from '../support/mocked-worker';
import type { TestEnv } from '../support/test-env';
import { waitFor } from './fixture';

type AlertActivities = ReturnType<typeof createAlertRoutingActivities> &
  ReturnType<typeof createAlertResolutionActivities> &
  ReturnType<typeof createHealthSnapshotActivities>;

/** What routing loads for an alert never stored. */
const UNKNOWN = alertStateOf(null);
const { EVENT_TYPE_TIMER_STARTED: TIMER_STARTED } = temporal.api.enums.v1.EventType;

/** The run that called the (local) activity running now. */
const runIdOfActivity = (): string => Context.current().info.workflowExecution?.runId ?? '';

describe('Alert lifecycle workflow with mocked activities', function () {
  this.timeout(60_000);
  let env: TestEnv;
  /** Runs `test` while a worker with these activities polls a task queue of its own. */
  const withWorker = mockedActivityWorkers<AlertActivities>('alert-workflow', (started) => (env = started));

  const snapshot = (levelAlertId: string): AlertSnapshot => ({
    levelAlertId,
    levelDeviceId: 'dev-1',
    name: 'Ping loss',
    description: null,
    severity: 'warning',
    startedAt: new Date().toISOString(),
    resolvedAt: null,
    hostname: 'HOST-1',
    levelGroupId: null,
  });

  const event = (
    levelAlertId: string,
    kind: AlertEvent['kind'],
    occurredAt = new Date().toISOString(),
  ): AlertEvent => ({
    eventId: `${kind}-${randomUUID()}`,
    kind,
    occurredAt,
    source: 'test',
    alert: snapshot(levelAlertId),
  });

  /** Starts an alert run with its first event, as the receiver does. */
  async function startRun(taskQueue: string, first: AlertEvent, carried?: CarriedAlertState): Promise<WorkflowHandle> {
    const input: AlertLifecycleInput = {
      tenantId: randomUUID(),
      integrationId: randomUUID(),
      levelAlertId: first.alert.levelAlertId,
      ...(carried ? { carried } : {}),
    };
    return env.temporalClient.workflow.signalWithStart(ALERT_LIFECYCLE_WORKFLOW, {
      workflowId: `test/alert-workflow/${randomUUID()}`,
      taskQueue,
      args: [input],
      signal: alertEventSignal,
      signalArgs: [first],
    });
  }

  const held = (heldUntilMs: number): RouteOutcome => ({
    outcome: 'held',
    alertId: 'alert-1',
    ruleId: 'rule-1',
    heldUntil: new Date(heldUntilMs).toISOString(),
  });
  const ticketed: RouteOutcome = {
    outcome: 'ticketed',
    alertId: 'alert-1',
    ticketId: 'ticket-1',
    ticketNumber: 12,
    clientName: 'Acme Clinic',
    created: true,
    ruleId: 'rule-1',
  };

  /** A health snapshot that succeeds at once (the runs below open tickets). */
  const noteHealth = {
    recordHealthSnapshot: async (input: RecordHealthSnapshotInput) => ({
      outcome: 'health_noted' as const,
      ticketId: input.ticketId,
      readAt: new Date().toISOString(),
      reused: false,
    }),
  };

  it('notes the health on a new ticket beside the state machine: a resolve does not wait for Level', async () => {
    const snapshots: RecordHealthSnapshotInput[] = [];
    const resolved: ResolveAlertInput[] = [];
    let answerLevel = () => undefined as void;
    const levelAnswered = new Promise<void>((resolve) => (answerLevel = resolve));
    await withWorker(
      {
        loadAlertStateAndRouteNew: async () => ({ state: UNKNOWN, routed: ticketed }),
        resolveAlertRecord: async (input) => (
          resolved.push(input),
          { alertId: 'alert-1', ticketId: 'ticket-1', ticket: 'closed' }
        ),
        // Level is slow: the snapshot waits until the test lets it answer.
        recordHealthSnapshot: async (input) => {
          snapshots.push(input);
          await levelAnswered;
          return noteHealth.recordHealthSnapshot(input);
        },
      },
      async (taskQueue) => {
        const levelAlertId = 'health-snapshot';
        const handle = await startRun(
          taskQueue,
          event(levelAlertId, 'triggered', new Date(Date.now() - 1_000).toISOString()),
        );
        await waitFor('the snapshot asked for', async () => snapshots.length === 1);
        assert.equal(snapshots[0]!.ticketId, 'ticket-1');
        assert.equal(snapshots[0]!.levelDeviceId, 'dev-1');
        assert.equal(snapshots[0]!.snapshot.name, 'Ping loss');

        await handle.signal(alertEventSignal, event(levelAlertId, 'resolved'));
        await waitFor('the resolve applied while the snapshot still waits on Level', async () => resolved.length === 1);
        answerLevel();
        await waitFor('the snapshot done', async () =>
          ((await handle.fetchHistory()).events ?? []).some((e) => e.activityTaskCompletedEventAttributes),
        );
        assert.equal(snapshots.length, 1, 'one snapshot per new ticket');
        await handle.terminate('test done');
      },
    );
  });

  it('routes a held alert again when the hold ends (without a hold), and shows the ticket', async () => {
    const routed: RouteStoredAlertInput[] = [];
    await withWorker(
      {
        ...noteHealth,
        loadAlertStateAndRouteNew: async () => ({ state: UNKNOWN, routed: held(Date.now() + 4_000) }),
        routeStoredAlert: async (input) => (routed.push(input), ticketed),
      },
      async (taskQueue) => {
        const handle = await startRun(taskQueue, event('held-then-ticketed', 'triggered'));
        await waitFor('the hold shown', async () =>
          /^Held by its rule until /.test(await currentDetails(handle).catch(() => '')),
        );
        await waitFor('the routing after the hold', async () => routed.length === 1);
        assert.equal(routed[0]!.afterHold, true);
        assert.equal(routed[0]!.reopened, false);
        await waitFor(
          'the ticket shown',
          async () => (await currentDetails(handle)) === 'Opened ticket #12 for Acme Clinic',
        );
        assert.equal(routed.length, 1, 'routed once');
        await handle.terminate('test done');
      },
    );
  });

  it('ends a flap dampened: a resolve during the hold is recorded as such and nothing is routed', async () => {
    const routed: RouteStoredAlertInput[] = [];
    const resolved: ResolveAlertInput[] = [];
    const dampened: ResolveOutcome = { alertId: 'alert-1', ticketId: null, ticket: 'none', dampened: true };
    await withWorker(
      {
        loadAlertStateAndRouteNew: async () => ({ state: UNKNOWN, routed: held(Date.now() + 60 * 60_000) }),
        routeStoredAlert: async (input) => (routed.push(input), ticketed),
        resolveAlertRecord: async (input) => (resolved.push(input), dampened),
      },
      async (taskQueue) => {
        const levelAlertId = 'flap';
        const handle = await startRun(
          taskQueue,
          event(levelAlertId, 'triggered', new Date(Date.now() - 1_000).toISOString()),
        );
        await waitFor('the hold shown', async () =>
          /^Held by its rule until /.test(await currentDetails(handle).catch(() => '')),
        );
        // The hold is a durable timer of about the hour the rule asked for.
        const timers = ((await handle.fetchHistory()).events ?? []).filter((e) => e.eventType === TIMER_STARTED);
        assert.equal(timers.length, 1);
        const seconds = Number(timers[0]!.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0);
        assert.ok(seconds > 3_500 && seconds <= 3_600, `a timer of ${seconds} s`);

        await handle.signal(alertEventSignal, event(levelAlertId, 'resolved'));
        await settledAfterSignals(env.temporalClient, handle.workflowId, 2);
        assert.equal(resolved.length, 1);
        assert.equal(resolved[0]!.duringHold, true);
        assert.equal(routed.length, 0, 'never routed: no ticket');
        assert.equal(await currentDetails(handle), "Dampened: resolved within its rule's hold, no ticket");
        await handle.terminate('test done');
      },
    );
  });

  it('carries the hold across continue-as-new and routes the alert when it ends, in the new run', async () => {
    const routed: Array<RouteStoredAlertInput & { runId: string }> = [];
    let firstRunId = '';
    await withWorker(
      {
        ...noteHealth,
        loadAlertStateAndRouteNew: async () => {
          firstRunId = runIdOfActivity();
          return { state: UNKNOWN, routed: held(Date.now() + 8_000) };
        },
        routeStoredAlert: async (input) => (routed.push({ ...input, runId: runIdOfActivity() }), ticketed),
      },
      async (taskQueue) => {
        const levelAlertId = 'carried-hold';
        const handle = await startRun(taskQueue, event(levelAlertId, 'triggered'));
        await waitFor('the hold shown', async () =>
          /^Held by its rule until /.test(await currentDetails(handle).catch(() => '')),
        );
        // Repeats of the trigger (each applied, none routed) fill the run until it continues as new.
        for (let sent = 0; sent < EVENTS_PER_RUN; sent += 25) {
          await Promise.all(
            Array.from({ length: 25 }, () => handle.signal(alertEventSignal, event(levelAlertId, 'triggered'))),
          );
        }
        await waitFor('the routing after the hold', async () => routed.length === 1, 20_000);
        assert.equal(routed[0]!.afterHold, true);
        assert.ok(firstRunId && routed[0]!.runId, 'the runs are known');
        assert.notEqual(routed[0]!.runId, firstRunId, 'routed by the run that continued as new');
        assert.equal(routed.length, 1);
        await handle.terminate('test done');
      },
    );
  });

  it('routes a suppressed alert again when its maintenance window ends, and not a resolved one', async () => {
    const routed: RouteStoredAlertInput[] = [];
    const suppressed = (untilMs: number): RouteOutcome => ({
      outcome: 'suppressed',
      alertId: 'alert-1',
      windowId: 'window-1',
      suppressedUntil: new Date(untilMs).toISOString(),
    });
    await withWorker(
      {
        ...noteHealth,
        loadAlertStateAndRouteNew: async () => ({ state: UNKNOWN, routed: suppressed(Date.now() + 4_000) }),
        routeStoredAlert: async (input) => (routed.push(input), ticketed),
        resolveAlertRecord: async () => ({ alertId: 'alert-1', ticketId: null, ticket: 'none' }),
      },
      async (taskQueue) => {
        const handle = await startRun(taskQueue, event('window-ends', 'triggered'));
        await waitFor('the window shown', async () =>
          /^Suppressed by a maintenance window until /.test(await currentDetails(handle).catch(() => '')),
        );
        await waitFor('the routing when the window ended', async () => routed.length === 1);
        assert.equal(routed[0]!.afterHold, undefined, 'a window end is no hold');
        await waitFor(
          'the ticket shown',
          async () => (await currentDetails(handle)) === 'Opened ticket #12 for Acme Clinic',
        );
        await handle.terminate('test done');

        // Resolved while suppressed: the window's end routes nothing.
        const quiet = await startRun(
          taskQueue,
          event('window-resolved', 'triggered', new Date(Date.now() - 1_000).toISOString()),
        );
        await waitFor('the window shown', async () =>
          /^Suppressed by a maintenance window until /.test(await currentDetails(quiet).catch(() => '')),
        );
        await quiet.signal(alertEventSignal, event('window-resolved', 'resolved'));
        await settledAfterSignals(env.temporalClient, quiet.workflowId, 2);
        // The window's wake-up is gone: the run now waits only for its idle hour, so its end routes nothing.
        const timers = ((await quiet.fetchHistory()).events ?? []).filter((e) => e.eventType === TIMER_STARTED);
        const lastTimer = Number(timers.at(-1)?.timerStartedEventAttributes?.startToFireTimeout?.seconds ?? 0);
        assert.ok(lastTimer > 3_500, `the run waits ${lastTimer} s (its idle hour), not for the window`);
        assert.equal(routed.length, 1, 'nothing routed for the resolved alert');
        await quiet.terminate('test done');
      },
    );
  });

  it('starts from a carried state with a hold that already ended: routes at once', async () => {
    const routed: RouteStoredAlertInput[] = [];
    await withWorker(
      { ...noteHealth, routeStoredAlert: async (input) => (routed.push(input), ticketed) },
      async (taskQueue) => {
        const first = event('carried-expired', 'triggered');
        const carried: CarriedAlertState = {
          status: 'active',
          lastEventAt: Date.parse(first.occurredAt),
          snapshot: first.alert,
          suppressedUntil: null,
          heldUntil: Date.now() - 1_000,
          recentEventIds: [first.eventId],
          pending: [],
        };
        const handle = await startRun(taskQueue, first, carried);
        await waitFor('the routing after the hold', async () => routed.length === 1);
        assert.equal(routed[0]!.afterHold, true);
        await handle.terminate('test done');
      },
    );
  });
});
