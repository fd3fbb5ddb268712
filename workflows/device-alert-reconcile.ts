// A webhook that named a device but no usable alert (the card's automation template: Level fills
// only its device variables) is a nudge: this run (`level/<tenant>/backfill-alerts/device/<percent-
// encoded device id>`) fetches that device's alerts from Level (active and recently resolved) and
// feeds them into their lifecycle runs, like backfill does. It waits a few seconds before each
// pass so that a burst of nudges (an automation per alert of one device) costs one fetch; nudges
// arriving while it works make it go round once more, so none is missed.
import { condition, patched, setHandler, sleep } from '@temporalio/workflow';
import { deviceNudgeSignal, type BackfillAlertsResult, type DeviceReconcileInput } from '../contracts/alerts';
import { replayLevelAlerts } from './backfill-alerts';

/** Nudges within this long of the first one join its pass (a durable timer). */
export const NUDGE_COALESCE_MS = 2_000;
/** Runs started before nudges were coalesced reconcile at once (their histories must replay). */
const COALESCE_PATCH = 'device-nudges-coalesced';

export async function deviceAlertReconcile(
  input: DeviceReconcileInput,
): Promise<BackfillAlertsResult & { passes: number }> {
  let nudges = 0;
  setHandler(deviceNudgeSignal, () => {
    nudges += 1;
  });
  await condition(() => nudges > 0, '1 minute');
  const coalesce = patched(COALESCE_PATCH);
  const totals = { fetched: 0, new: 0, updated: 0, resolved: 0, passes: 0 };
  let handled = 0;
  while (handled < Math.max(nudges, 1)) {
    if (coalesce) await sleep(NUDGE_COALESCE_MS);
    handled = nudges;
    const result = await replayLevelAlerts({
      tenantId: input.tenantId,
      integrationId: input.integrationId,
      levelDeviceId: input.levelDeviceId,
    });
    totals.fetched += result.fetched;
    totals.new += result.new;
    totals.updated += result.updated;
    totals.resolved += result.resolved;
    totals.passes += 1;
  }
  return totals;
}
