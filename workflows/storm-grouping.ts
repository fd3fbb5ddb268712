// One run per storm key (`level/<tenant>/storm/<clientId>[/<condition>]`): counts the alerts of a
// client (or of a client and condition) that routing would ticket while the tenant's storm
// grouping is on, and decides, one arrival at a time, where each alert's ticket is.
//   - A storm is on (the key's parent ticket is open): the alert joins the parent.
//   - Else, with this arrival `threshold` distinct alerts have arrived within `windowMinutes`
//     (counted here, by the time each signal reached the run): the parent opens, and the alert and
//     the window's earlier alerts join it (their own tickets are linked to it and closed).
//   - Else the alert gets the ticket it would have had without storm grouping.
// Why the count is exact: every arrival of the key, from any API process or worker, is a signal to
// this one workflow id, so Temporal puts them in one order in one history; the run takes them one
// at a time and each runs one activity that does all its database work in one transaction before
// the next is taken (db/storm-store.ts says what else touches those rows and why that is safe).
// The count lives in the run's state, replayed deterministically. Alerts grouped into a storm leave
// the count, so when the parent closes (the storm ends) counting starts afresh. Arrivals are
// dropped by id when repeated (a retried send); an alert counts once however often it arrives.
// The run closes after a whole window without arrivals: nothing it counted is within a window then,
// so the next run starts from the same state (an open parent is found in the database, not here).
// An own ticket it opens (or reopens) gets the device's health note, as the alert run's would.
import {
  condition,
  continueAsNew,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { createStormActivities } from '../activities/storm-activities';
import {
  stormArrivalSignal,
  type CountedArrival,
  type StormArrival,
  type StormGroupingInput,
  type StormGroupingResult,
} from '../contracts/storm';
import type { StormStepOutcome } from '../db/storm-store';
import { arrivalsInWindow } from '../domain/storm-grouping';
import { healthNotes } from './health-notes';

/** Arrivals processed per run before continueAsNew keeps the history small. */
export const ARRIVALS_PER_RUN = 200;
/** Arrival ids remembered for dropping repeats (older repeats are found by the store's action id). */
const REMEMBERED_ARRIVAL_IDS = 500;

/**
 * The arrival's database work runs as a local activity, in the workflow task of the signal that
 * brought it (no round trip through the server per alert). Retried until the database answers.
 */
const local = proxyLocalActivities<ReturnType<typeof createStormActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function stormGrouping(input: StormGroupingInput): Promise<StormGroupingResult> {
  const queue: Array<{ arrival: StormArrival; at: number }> = [...(input.carried?.pending ?? [])];
  setHandler(stormArrivalSignal, (arrival) => void queue.push({ arrival, at: Date.now() }));
  let window: CountedArrival[] = [...(input.carried?.window ?? [])];
  let recentArrivalIds = [...(input.carried?.recentArrivalIds ?? [])];
  let windowMinutes = input.carried?.windowMinutes ?? 5;
  let processed = 0;
  /** An own ticket it opens gets the device's health note, as the alert run's would (see health-notes). */
  const health = healthNotes();

  for (;;) {
    // Quiet for a whole window: nothing counted is within a window any more.
    if (queue.length === 0 && !(await condition(() => queue.length > 0, Math.max(1, windowMinutes) * 60_000))) {
      // Arrivals may come while health notes finish: look again before ending.
      await health.settle();
      if (queue.length === 0) return { processed };
      continue;
    }
    const { arrival, at } = queue.shift()!;
    if (recentArrivalIds.includes(arrival.arrivalId)) continue;
    recentArrivalIds = [...recentArrivalIds, arrival.arrivalId].slice(-REMEMBERED_ARRIVAL_IDS);
    windowMinutes = arrival.windowMinutes;
    window = arrivalsInWindow(window, at, windowMinutes);
    const earlierAlertIds = [...new Set(window.map((counted) => counted.alertId))].filter(
      (id) => id !== arrival.alertId,
    );
    const outcome = await local.processStormArrival({ arrival, earlierAlertIds });
    processed += 1;
    if (outcome.step === 'own' && !window.some((counted) => counted.alertId === arrival.alertId))
      window = [...window, { alertId: arrival.alertId, at }];
    if (outcome.step === 'own' && (outcome.created || outcome.reopened)) {
      health.note({
        tenantId: arrival.tenantId,
        integrationId: arrival.integrationId,
        ticketId: outcome.ticketId,
        levelDeviceId: arrival.snapshot.levelDeviceId,
        snapshot: arrival.snapshot,
        actionId: uuid4(),
      });
    }
    // Grouped into a storm: out of the count (a new storm needs a new threshold of arrivals).
    if (outcome.step === 'attached' || outcome.step === 'opened') window = [];
    setCurrentDetails(stepWords(outcome, window.length, arrival));
    if (processed >= ARRIVALS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      // Arrivals still queued go along as pending: a steady stream never keeps the history growing.
      await health.settle();
      await continueAsNew<typeof stormGrouping>({
        ...input,
        carried: { window, pending: [...queue], recentArrivalIds, windowMinutes },
      });
    }
  }
}

function stepWords(outcome: StormStepOutcome, counted: number, arrival: StormArrival): string {
  const count = `${counted} of ${arrival.threshold} alerts within ${arrival.windowMinutes} minute(s) counted`;
  if (outcome.step === 'opened')
    return `Storm ticket #${outcome.ticketNumber} opened (ticket ${outcome.ticketId}): ${outcome.alerts} alerts, ${outcome.devices} devices; ${outcome.groupedTicketIds.length} ticket(s) grouped into it`;
  if (outcome.step === 'attached')
    return `Storm ticket #${outcome.ticketNumber} open (ticket ${outcome.ticketId}): ${outcome.alerts} alerts, ${outcome.devices} devices`;
  if (outcome.step === 'own') return `Alert ${arrival.levelAlertId}: its own ticket (${outcome.ticketId}); ${count}`;
  return `Alert ${arrival.levelAlertId} resolved before it was processed: skipped; ${count}`;
}
