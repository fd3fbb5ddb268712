// The health snapshot note of a ticket a run has just opened or reopened (activities/health-snapshot.ts),
// written beside the run's own work: the run goes on with its next event meanwhile (a resolve
// never waits for Level), and settles the notes still on their way only before it ends or
// continues as new. Used by the alert run and the storm run, which both open tickets.
import { log, proxyActivities } from '@temporalio/workflow';
import type { createHealthSnapshotActivities, RecordHealthSnapshotInput } from '../activities/health-snapshot';

/** It never fails on Level (it notes "health unavailable"); after a few database failures the ticket simply has none. */
const healthActivities = proxyActivities<ReturnType<typeof createHealthSnapshotActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 5 },
});

export interface HealthNotes {
  /** Starts the note's activity without waiting for it (the action id is drawn by the caller). */
  note(input: RecordHealthSnapshotInput): void;
  /** True while a note is on its way. */
  readonly pending: boolean;
  /** Waits for every note on its way (a failure was already logged). */
  settle(): Promise<void>;
}

export function healthNotes(): HealthNotes {
  const inFlight: Array<Promise<void>> = [];
  return {
    note(input) {
      inFlight.push(
        healthActivities.recordHealthSnapshot(input).then(
          () => undefined,
          (err: unknown) =>
            log.warn('no health snapshot on the new ticket', {
              message: err instanceof Error ? err.message : String(err),
            }),
        ),
      );
    },
    get pending() {
      return inFlight.length > 0;
    },
    async settle() {
      await Promise.all(inFlight.splice(0));
    },
  };
}
