// A webhook that named a device but no usable alert (Level filled only the device variables) is a
// nudge: this run (`level/<tenant>/backfill-alerts/device/<percent-encoded device id>`) fetches
// that device's alerts from Level and feeds them into their lifecycle runs, like backfill does.
// Nudges arriving while it works make it go round once more, so none is missed.
import { condition, defineSignal, setHandler } from '@temporalio/workflow';
import type { BackfillAlertsResult, DeviceNudge, DeviceReconcileInput } from '../activities/alert-contracts';
import { replayLevelAlerts } from './backfill-alerts';

export const deviceNudgeSignal = defineSignal<[DeviceNudge]>('nudge');

export async function deviceAlertReconcile(input: DeviceReconcileInput): Promise<BackfillAlertsResult & { passes: number }> {
  let nudges = 0;
  setHandler(deviceNudgeSignal, () => {
    nudges += 1;
  });
  await condition(() => nudges > 0, '1 minute');
  const totals = { fetched: 0, new: 0, updated: 0, resolved: 0, passes: 0 };
  let handled = 0;
  while (handled < Math.max(nudges, 1)) {
    handled = nudges;
    const result = await replayLevelAlerts({ tenantId: input.tenantId, integrationId: input.integrationId, levelDeviceId: input.levelDeviceId });
    totals.fetched += result.fetched;
    totals.new += result.new;
    totals.updated += result.updated;
    totals.resolved += result.resolved;
    totals.passes += 1;
  }
  return totals;
}
