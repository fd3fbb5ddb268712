// One run per Level device (`level/<tenant>/device/<id>`) or group (`level/<tenant>/group/<id>`),
// fed by Level's native device_* / group_* events. Events are ordered by Level's time (an event
// older than the newest applied one is stale, as in the alert runs); a burst is coalesced: the
// run waits a moment after an event, then applies the newest state once — a delete archives or
// removes, anything else fetches the object from Level and stores it. Idle runs close; the full
// device sync and Discover Groups stay the reconcilers. Only ids and times pass through history.
import {
  ActivityFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import { NON_RETRYABLE_ERROR_TYPES } from '../contracts/failures';
import { levelChangeSignal, type LevelChangeEvent, type LevelObjectRunInput } from '../contracts/level-objects';
import type { createLevelObjectActivities } from '../activities/level-object-activities';

/** Events within this long of the first join its application (a durable timer). */
export const CHANGE_COALESCE_MS = 1_000;
/** A run with nothing to do for this long closes (the next event starts a new one). */
export const CHANGE_IDLE_MS = 60_000;
/** Applications per run before continueAsNew keeps the history small. */
const APPLIED_PER_RUN = 100;

/** Retried until Level and the database answer (an accepted event is never dropped for an outage). */
const activities = proxyActivities<ReturnType<typeof createLevelObjectActivities>>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '5 minutes',
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
});

export interface LevelObjectRunResult {
  applied: number;
  lastOutcome: string | null;
}

export async function deviceEvents(input: LevelObjectRunInput): Promise<LevelObjectRunResult> {
  return applyChangesInOrder(input, (action) =>
    activities.applyDeviceChange({
      tenantId: input.tenantId,
      integrationId: input.integrationId,
      levelDeviceId: input.levelId,
      action,
    }),
  );
}

export async function groupEvents(input: LevelObjectRunInput): Promise<LevelObjectRunResult> {
  return applyChangesInOrder(input, (action) =>
    activities.applyGroupChange({
      tenantId: input.tenantId,
      integrationId: input.integrationId,
      levelGroupId: input.levelId,
      action,
    }),
  );
}

/** Workflow code shared by both runs: queue, order by Level's time, coalesce, apply, close when idle. */
async function applyChangesInOrder(
  input: LevelObjectRunInput,
  apply: (action: LevelChangeEvent['action']) => Promise<string>,
): Promise<LevelObjectRunResult> {
  const queue: LevelChangeEvent[] = [];
  setHandler(levelChangeSignal, (event) => void queue.push(event));
  let lastEventAt = input.lastEventAt ?? null;
  let applied = 0;
  let lastOutcome: string | null = null;
  for (;;) {
    if (!(await condition(() => queue.length > 0, CHANGE_IDLE_MS))) return { applied, lastOutcome };
    await sleep(CHANGE_COALESCE_MS);
    const newest = newestFresh(queue.splice(0), lastEventAt);
    if (newest) {
      lastEventAt = Date.parse(newest.occurredAt);
      lastOutcome = await applyOrExplain(apply, newest.action);
      applied += 1;
      setCurrentDetails(`Last change (${newest.action}, Level time ${newest.occurredAt}): ${lastOutcome}`);
    }
    if (applied >= APPLIED_PER_RUN && queue.length === 0)
      await continueAsNew<typeof deviceEvents>({ ...input, lastEventAt });
  }
}

/**
 * A failure no retry fixes (the key was rejected, the integration has no key) is reported in the
 * run's details instead of failing the run: its next event tries again, and the sync reconciles.
 */
async function applyOrExplain(
  apply: (action: LevelChangeEvent['action']) => Promise<string>,
  action: LevelChangeEvent['action'],
): Promise<string> {
  try {
    return await apply(action);
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    log.warn('a Level change could not be applied', { message: err.cause?.message ?? err.message });
    return `not applied: ${err.cause?.message ?? err.message}`;
  }
}

/**
 * The newest event not older than what was applied; at the same instant a delete wins. Null
 * when all are stale (a late update after a newer delete changes nothing).
 */
function newestFresh(events: readonly LevelChangeEvent[], lastEventAt: number | null): LevelChangeEvent | null {
  let newest: LevelChangeEvent | null = null;
  for (const event of events) {
    const at = Date.parse(event.occurredAt);
    if (Number.isNaN(at) || (lastEventAt !== null && at < lastEventAt)) continue;
    const best = newest === null ? Number.NEGATIVE_INFINITY : Date.parse(newest.occurredAt);
    if (at > best || (at === best && event.action === 'delete')) newest = event;
  }
  return newest;
}
