// What the alert activities share: the alert's reference, and the rule that data the database
// refuses ends retries at once (the workflow parks the alert instead). The alert's name as stored
// and the rest of its row are db/alert-row.ts's.
import { ApplicationFailure } from '@temporalio/activity';
import { describePermanentDataError, isPermanentDataError } from '../db/permanent-errors';

export interface AlertRef {
  tenantId: string;
  integrationId: string;
  levelAlertId: string;
}

/** The failure type of routing (or recording a resolve) that met data the database refuses. */
export const INVALID_ALERT_DATA = 'invalid_alert_data';

/**
 * Data the database refuses (a NUL byte Level sent, say) fails the same way on every attempt: such
 * an error ends Temporal's retries at once, as INVALID_ALERT_DATA, and the workflow parks the
 * alert. Anything else (the database down, a deadlock) is thrown as it is and retried.
 */
export function permanentOnBadData<A extends unknown[], R>(
  work: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await work(...args);
    } catch (err) {
      if (!isPermanentDataError(err)) throw err;
      throw ApplicationFailure.nonRetryable(
        `The database refused the alert's data: ${describePermanentDataError(err)}`,
        INVALID_ALERT_DATA,
      );
    }
  };
}
