// What a failed inbox delivery means for its row. A failure is either Temporal being away (the
// whole pass stops, the row waits and nothing counts against it), Temporal refusing this very
// row (a workflow id over its limit, data it cannot take: no retry can help, so the row is
// parked at once), or a failure of this row while others go through: it is retried later, with
// growing pauses, and parked once it has failed the same way PARK_AFTER_SAME_FAILURES times.
// (Which kind an error is: temporal/delivery-failures.ts.)

export type FailureKind = 'unavailable' | 'refused' | 'failed';

/** Consecutive identical failures after which a row is parked. */
export const PARK_AFTER_SAME_FAILURES = 10;
/** Pause before a failing row's next attempt: doubling from 2 s, at most 5 minutes. */
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 5 * 60_000;

export interface FailedRowState {
  lastError: string | null;
  failureStreak: number;
}

export interface AfterFailure {
  status: 'pending' | 'parked';
  failureStreak: number;
  /** Milliseconds before the next attempt (0: with the next pass). */
  retryInMs: number;
}

/**
 * The row's next state after a failure. `temporalAway`: the pass found Temporal unavailable, so
 * the failure says nothing about this row.
 */
export function afterFailure(
  row: FailedRowState,
  error: string,
  kind: FailureKind,
  temporalAway: boolean,
  parkAfter = PARK_AFTER_SAME_FAILURES,
): AfterFailure {
  if (kind === 'unavailable' && temporalAway)
    return { status: 'pending', failureStreak: row.failureStreak, retryInMs: 0 };
  const failureStreak = row.lastError === error ? row.failureStreak + 1 : 1;
  if (kind === 'refused' || failureStreak >= parkAfter) return { status: 'parked', failureStreak, retryInMs: 0 };
  return {
    status: 'pending',
    failureStreak,
    retryInMs: Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (failureStreak - 1)),
  };
}
