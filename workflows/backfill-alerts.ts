// Backfill Alerts (`level/<tenant>/backfill-alerts`, also what the optional periodic reconcile
// schedule starts): pages Level's active, then resolved alerts; each page's activity feeds every
// alert into its lifecycle run with signalWithStart, so nothing the webhook delivered is duplicated.
// Only cursors and counts pass through history.
import { proxyActivities, setCurrentDetails } from '@temporalio/workflow';
import type { createBackfillActivities } from '../activities/backfill-activities';
import type { BackfillAlertsInput, BackfillAlertsResult } from '../contracts/alerts';
import { NON_RETRYABLE_ERROR_TYPES } from '../contracts/failures';

/** Runaway guard: pages per status. */
export const MAX_BACKFILL_PAGES = 500;
const DEFAULT_RESOLVED_LOOKBACK_DAYS = 7;

const { backfillAlertsPage } = proxyActivities<ReturnType<typeof createBackfillActivities>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 6,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
});

export async function backfillAlerts(input: BackfillAlertsInput): Promise<BackfillAlertsResult> {
  return replayLevelAlerts(input);
}

/** Pages active then resolved alerts (of one device, if given); workflow code, shared with the device reconcile. */
export async function replayLevelAlerts(
  input: BackfillAlertsInput & { levelDeviceId?: string },
): Promise<BackfillAlertsResult> {
  const totals: BackfillAlertsResult = { fetched: 0, new: 0, updated: 0, resolved: 0 };
  const lookbackDays = input.resolvedLookbackDays ?? DEFAULT_RESOLVED_LOOKBACK_DAYS;
  const resolvedSince = new Date(Date.now() - lookbackDays * 24 * 60 * 60 * 1000).toISOString();
  for (const status of ['active', 'resolved'] as const) {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_BACKFILL_PAGES; page += 1) {
      const result = await backfillAlertsPage({
        tenantId: input.tenantId,
        integrationId: input.integrationId,
        status,
        resolvedSince,
        ...(input.levelDeviceId ? { levelDeviceId: input.levelDeviceId } : {}),
        ...(cursor ? { startingAfter: cursor } : {}),
      });
      totals.fetched += result.fetched;
      totals.new += result.new;
      totals.updated += result.updated;
      totals.resolved += result.resolved;
      // Progress for the Temporal UI (current details record no event: replay-safe).
      setCurrentDetails(
        `**${status === 'active' ? 'Active' : 'Resolved'} alerts**, page ${page + 1}: ${totals.fetched} fetched, ${totals.new} new, ${totals.updated} updated, ${totals.resolved} resolved`,
      );
      if (!result.hasMore || !result.nextCursor) break;
      cursor = result.nextCursor;
    }
  }
  return totals;
}
