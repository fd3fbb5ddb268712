// One run per Level alert (`level/<tenant>/alert/<percent-encoded Level alert id>`), fed by
// signals from the webhook receiver, backfill and the ticket API. The run is a small state
// machine ordered by the time Level reported each event, so duplicates, out-of-order deliveries
// (a resolve before its trigger) and re-opens all end in the right state:
//   unknown/resolved --triggered--> active (route: window? rule? ticket or record)
//   active --resolved--> resolved (auto-resolve the ticket or add a note)
//   suppressed by a window: a durable timer wakes the run at the window's end and, if the alert is
//   still active, routes it then.
//   held by its rule (flap dampening, `holdMinutes`): a durable timer wakes the run when the hold
//   ends and, if the alert is still active, routes it then without a hold (the ticket opens); a
//   resolve before then ends it `dampened`, without a ticket.
// A ticket it opens (or reopens) gets a note of the device's health from Level, written beside
// the state machine (see noteHealthOf), never holding it up.
// With the tenant's storm grouping on, an alert routing would ticket is recorded without one and
// handed to its client's storm run (workflows/storm-grouping.ts), which gives it its ticket; the
// run does not wait for that.
// Every side effect lives in an activity keyed by an action id drawn here (uuid4 is replay-safe),
// so a retried activity never opens a second ticket or writes a second note.
import {
  condition,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  uuid4,
  workflowInfo,
  ActivityFailure,
  ApplicationFailure,
} from '@temporalio/workflow';
import type { createAlertResolutionActivities } from '../activities/alert-resolution-activities';
import type { createAlertRoutingActivities, NeedsDevice, RouteOutcome } from '../activities/alert-routing-activities';
import type { createStormActivities } from '../activities/storm-activities';
import {
  alertEventSignal,
  ticketClosedSignal,
  type AlertEvent,
  type AlertLifecycleInput,
  type AlertSnapshot,
  type CarriedAlertState,
  type TicketClosedSignal,
} from '../contracts/alerts';
import { showAlertStatus, showResolved, showRouting } from './alert-run-details';
import { healthNotes } from './health-notes';

/** Events applied per run before continueAsNew keeps the history small. */
export const EVENTS_PER_RUN = 100;
/** A resolved alert's run waits this long for a re-open or a late event, then closes. */
export const RESOLVED_IDLE_MS = 60 * 60 * 1000;
/** Event ids remembered for redelivery checks (older duplicates are caught by event time). */
const REMEMBERED_EVENT_IDS = 50;

type AlertActivities = ReturnType<typeof createAlertRoutingActivities> &
  ReturnType<typeof createAlertResolutionActivities>;

/** Database work: retried until it succeeds (a database outage delays routing, never drops it). */
const activities = proxyActivities<AlertActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Database work that needs nothing from Level runs as local activities, in the same workflow task
 * as the signal that caused it: a new alert costs one task round trip through the server, not
 * three. They are idempotent (action ids), so a retry or a re-run after a worker crash is harmless.
 */
const localActivities = proxyLocalActivities<AlertActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** Calls to Level on a person's behalf: a few tries, then the ticket keeps a note of the failure. */
const levelActivities = proxyActivities<AlertActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

/** Handing an alert to its storm run: one signalWithStart, in the routing's workflow task. */
const stormActivities = proxyLocalActivities<ReturnType<typeof createStormActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export interface AlertLifecycleResult {
  levelAlertId: string;
  status: CarriedAlertState['status'];
  eventsApplied: number;
}

type WorkItem = CarriedAlertState['pending'][number];

export async function alertLifecycle(input: AlertLifecycleInput): Promise<AlertLifecycleResult> {
  const queue: WorkItem[] = [...(input.carried?.pending ?? [])];
  setHandler(alertEventSignal, (event) => void queue.push({ type: 'event', event }));
  setHandler(ticketClosedSignal, (signal) => void queue.push({ type: 'ticketClosed', signal }));

  const ref = { tenantId: input.tenantId, integrationId: input.integrationId, levelAlertId: input.levelAlertId };
  /** The first trigger's routing, done while loading the state (see loadFreshState). */
  let firstRouting: { eventId: string; actionId: string; outcome: RouteOutcome | NeedsDevice } | null = null;

  /**
   * A fresh run whose first event is a trigger loads its state and, if the alert is new, routes
   * it in one local activity; the trigger is then applied as usual with that outcome.
   */
  const loadFreshState = async (): Promise<Omit<CarriedAlertState, 'pending'>> => {
    const first = queue[0]?.type === 'event' ? queue[0].event : null;
    if (first?.kind !== 'triggered')
      return localActivities.loadAlertState({ tenantId: ref.tenantId, levelAlertId: ref.levelAlertId });
    const actionId = uuid4();
    try {
      const { state, routed } = await localActivities.loadAlertStateAndRouteNew({
        ...ref,
        snapshot: snapshotAfter(null, first),
        reopened: false,
        actionId,
      });
      if (routed) firstRouting = { eventId: first.eventId, actionId, outcome: routed };
      return state;
    } catch (err) {
      if (permanentFailureReason(err) === null) throw err;
      // Its routing met data no retry fixes: load the state alone; applying the trigger parks it.
      return localActivities.loadAlertState({ tenantId: ref.tenantId, levelAlertId: ref.levelAlertId });
    }
  };

  /** A ticket this run opened or reopened gets the device's health note (see health-notes). */
  const health = healthNotes();
  const noteHealthOf = (outcome: RouteOutcome | NeedsDevice, snapshot: AlertSnapshot) => {
    if (outcome.outcome !== 'ticketed' || (!outcome.created && !outcome.reopened)) return;
    health.note({
      ...ref,
      ticketId: outcome.ticketId,
      levelDeviceId: snapshot.levelDeviceId,
      snapshot,
      actionId: uuid4(),
    });
  };

  const known = input.carried ?? (await loadFreshState());
  // A state carried (or loaded) by code from before holds has no heldUntil.
  const state: Omit<CarriedAlertState, 'pending'> = { ...known, heldUntil: known.heldUntil ?? null };
  let applied = 0;

  /**
   * Runs `work`; when it fails with an error no retry can fix (the activity said so), parks the
   * alert as `failed` with the reason, shown in the alert list and in this run's details, instead
   * of failing the run (the next event of the alert tries again). Other failures propagate.
   */
  const parkingPermanentFailures = async (snapshot: AlertSnapshot, work: () => Promise<void>) => {
    try {
      await work();
    } catch (err) {
      const reason = permanentFailureReason(err);
      if (reason === null) throw err;
      showAlertStatus('failed', `Parked as failed: ${reason}`);
      await localActivities.parkAlert({ ...ref, snapshot, reason });
      state.suppressedUntil = null;
      state.heldUntil = null;
    }
  };

  /** `afterHold`: its rule's hold ended with the alert still active (it is not held again). */
  const route = async (snapshot: AlertSnapshot, reopened: boolean, eventId: string | null, afterHold = false) =>
    parkingPermanentFailures(snapshot, () => routeOnce(snapshot, reopened, eventId, afterHold));

  const routeOnce = async (snapshot: AlertSnapshot, reopened: boolean, eventId: string | null, afterHold: boolean) => {
    const routedFirst = firstRouting?.eventId === eventId ? firstRouting : null;
    firstRouting = null;
    const routing = {
      ...ref,
      snapshot,
      reopened,
      ...(afterHold ? { afterHold } : {}),
      actionId: routedFirst?.actionId ?? uuid4(),
    };
    let outcome = routedFirst ? routedFirst.outcome : await localActivities.routeStoredAlert(routing);
    // No stored asset: ask Level for the device (a regular activity: it may wait on the budget).
    if (outcome.outcome === 'needsDevice')
      outcome = await localActivities.routeStoredAlert({
        ...routing,
        device: await activities.lookUpAlertDevice(routing),
      });
    state.suppressedUntil =
      outcome.outcome === 'suppressed' && outcome.suppressedUntil ? Date.parse(outcome.suppressedUntil) : null;
    state.heldUntil = outcome.outcome === 'held' ? Date.parse(outcome.heldUntil) : null;
    // Storm grouping: the storm run decides the ticket; a resent arrival (a retry) is dropped there.
    if (outcome.outcome === 'grouping') await stormActivities.sendStormArrival(outcome.arrival);
    showRouting(outcome);
    noteHealthOf(outcome, snapshot);
  };

  const applyEvent = async (event: AlertEvent) => {
    if (state.recentEventIds.includes(event.eventId)) return;
    state.recentEventIds = [...state.recentEventIds, event.eventId].slice(-REMEMBERED_EVENT_IDS);
    const at = Date.parse(event.occurredAt);
    if (isStale(state, event.kind, at)) return;
    state.lastEventAt = Math.max(state.lastEventAt ?? at, at);
    state.snapshot = snapshotAfter(state.snapshot, event);
    const previous = state.status;
    if (event.kind === 'triggered') {
      if (previous === 'active') return; // a repeat of what is already open
      state.status = 'active';
      await route(state.snapshot, previous === 'resolved', event.eventId);
      return;
    }
    if (previous === 'resolved') return;
    // Resolved before its rule's hold ended: a flap, dampened.
    const duringHold = state.heldUntil !== null;
    state.status = 'resolved';
    state.suppressedUntil = null;
    state.heldUntil = null;
    const resolution = {
      ...ref,
      snapshot: state.snapshot,
      resolvedAt: event.alert.resolvedAt ?? event.occurredAt,
      ...(duringHold ? { duringHold } : {}),
      actionId: uuid4(),
    };
    await parkingPermanentFailures(state.snapshot, async () =>
      showResolved(await localActivities.resolveAlertRecord(resolution)),
    );
  };

  const applyTicketClosed = async (signal: TicketClosedSignal) => {
    if (state.status !== 'active') return;
    try {
      const outcome = await levelActivities.ticketClosedByPerson({
        ...ref,
        ticketId: signal.ticketId,
        actionId: uuid4(),
      });
      if (outcome.resolvedInLevel) {
        showAlertStatus('resolved', 'Resolved in Level because its ticket was closed');
        state.status = 'resolved';
        state.suppressedUntil = null;
        state.heldUntil = null;
        state.lastEventAt = Math.max(state.lastEventAt ?? 0, Date.parse(outcome.resolvedAt ?? signal.closedAt));
      }
    } catch (err) {
      // Level kept failing: the ticket stays closed, the alert stays as Level reports it.
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('could not resolve the alert in Level after the ticket was closed', {
        message: err.cause?.message ?? err.message,
      });
    }
  };

  /** Waits for a signal, at most `timeoutMs` (none: as long as it takes); false when the time ran out. */
  const workArrived = async (timeoutMs: number | undefined): Promise<boolean> => {
    if (timeoutMs !== undefined) return condition(() => queue.length > 0, timeoutMs);
    await condition(() => queue.length > 0);
    return true;
  };

  for (;;) {
    // A window's end or a hold's end wakes the run; else an active alert waits for its next event,
    // and a resolved one for a re-open until it has been idle long enough to close.
    const wakeAt = state.suppressedUntil ?? state.heldUntil;
    const waitMs =
      wakeAt !== null ? Math.max(0, wakeAt - Date.now()) : state.status === 'active' ? undefined : RESOLVED_IDLE_MS;
    if (await workArrived(waitMs)) {
      const item = queue.shift()!;
      if (item.type === 'event') await applyEvent(item.event);
      else await applyTicketClosed(item.signal);
      applied += 1;
    } else if (state.suppressedUntil !== null && Date.now() >= state.suppressedUntil) {
      // The window ended: an alert still active is routed now (another window may suppress it again).
      state.suppressedUntil = null;
      if (state.status === 'active' && state.snapshot) await route(state.snapshot, false, null);
    } else if (state.heldUntil !== null && Date.now() >= state.heldUntil) {
      // The hold ended and the alert is still active (a resolve would have cleared it): ticket it now.
      state.heldUntil = null;
      if (state.status === 'active' && state.snapshot) await route(state.snapshot, false, null, true);
    } else if (state.status !== 'active' && queue.length === 0) {
      // Events may arrive while a snapshot finishes: look again before ending.
      if (health.pending) {
        await health.settle();
        continue;
      }
      return { levelAlertId: input.levelAlertId, status: state.status, eventsApplied: applied };
    }
    if (applied >= EVENTS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await health.settle();
      await continueAsNew<typeof alertLifecycle>({ ...input, carried: { ...state, pending: [...queue] } });
    }
  }
}

/**
 * The message of a failure its activity marked non-retryable, else null. A regular activity's
 * failure arrives wrapped in an ActivityFailure; a local activity's as the failure itself.
 */
function permanentFailureReason(err: unknown): string | null {
  const failure = err instanceof ActivityFailure ? err.cause : err;
  return failure instanceof ApplicationFailure && failure.nonRetryable ? failure.message : null;
}

/**
 * Events are ordered by Level's time: anything older than the newest applied event is stale.
 * At the same instant a resolve wins over a trigger (resolved-and-triggered-at-once is resolved).
 */
function isStale(
  state: Pick<CarriedAlertState, 'lastEventAt' | 'status'>,
  kind: AlertEvent['kind'],
  at: number,
): boolean {
  if (state.lastEventAt === null || Number.isNaN(at)) return false;
  if (at < state.lastEventAt) return true;
  return at === state.lastEventAt && kind === 'triggered' && state.status === 'resolved';
}

/** The alert as known after an event. A resolve may carry less than the trigger did (a template resolve has no severity): keep what is known. */
function snapshotAfter(known: AlertSnapshot | null, event: AlertEvent): AlertSnapshot {
  if (known && event.kind === 'resolved') return { ...known, resolvedAt: event.alert.resolvedAt ?? event.occurredAt };
  return { ...(known ?? {}), ...definedFields(event.alert) } as AlertSnapshot;
}

/** The fields an event actually carries (empty values do not erase known ones). */
function definedFields(snapshot: AlertSnapshot): Partial<AlertSnapshot> {
  const out: Partial<AlertSnapshot> = {};
  for (const [key, value] of Object.entries(snapshot) as Array<
    [keyof AlertSnapshot, AlertSnapshot[keyof AlertSnapshot]]
  >) {
    if (value !== null && value !== '') (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
