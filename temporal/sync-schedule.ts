// The tenant's device sync schedule: one Temporal Schedule per tenant, id
// `level/<tenant>/device-sync-schedule`, starting `scheduledDeviceSync` (which starts the
// single-flight device sync under the tenant's sync id) every N minutes, overlap policy skip.
// Temporal holds the whole setting: disabled is a paused schedule (its interval kept); a tenant
// that never enabled one has none. Disconnecting the integration pauses it too.
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleOptions,
} from '@temporalio/client';
import { runSearchAttributes } from '../contracts/search-attributes';
import { scheduledSyncWorkflowId, syncScheduleId } from '../contracts/workflow-ids';
import { SCHEDULED_DEVICE_SYNC_WORKFLOW } from '../contracts/workflows';

export const MIN_INTERVAL_MINUTES = 15;
export const MAX_INTERVAL_MINUTES = 1440;
export const DEFAULT_INTERVAL_MINUTES = 60;

export interface SyncScheduleSetting {
  enabled: boolean;
  intervalMinutes: number;
}

export interface SyncScheduleView extends SyncScheduleSetting {
  /** When the next sync starts (null while disabled). */
  nextRunAt: string | null;
  /** Why it is paused, when Temporal says (disabled by an admin, integration disconnected). */
  note: string | null;
}

export interface ScheduleTarget {
  tenantId: string;
  integrationId: string;
  taskQueue: string;
}

export const DISABLED_NOTE = 'Disabled in the service (PUT sync-schedule)';
export const DISCONNECTED_NOTE = 'Paused: the Level integration was disconnected';

export async function readSyncSchedule(client: Client, tenantId: string): Promise<SyncScheduleView> {
  let description: ScheduleDescription;
  try {
    description = await client.schedule.getHandle(syncScheduleId(tenantId)).describe();
  } catch (err) {
    if (err instanceof ScheduleNotFoundError)
      return { enabled: false, intervalMinutes: DEFAULT_INTERVAL_MINUTES, nextRunAt: null, note: null };
    throw err;
  }
  const every = description.spec.intervals?.[0]?.every;
  const paused = description.state.paused;
  return {
    enabled: !paused,
    intervalMinutes: typeof every === 'number' ? Math.round(every / 60_000) : DEFAULT_INTERVAL_MINUTES,
    nextRunAt: paused ? null : (description.info.nextActionTimes[0]?.toISOString() ?? null),
    note: paused ? (description.state.note ?? null) : null,
  };
}

/** Creates, updates, pauses or resumes the schedule to match the setting. Disabling one that does not exist does nothing. */
export async function applySyncSchedule(
  client: Client,
  target: ScheduleTarget,
  setting: SyncScheduleSetting,
): Promise<void> {
  const options = scheduleOptions(target, setting);
  const handle = client.schedule.getHandle(options.scheduleId);
  try {
    await handle.update(() => ({
      spec: options.spec,
      action: options.action,
      policies: options.policies,
      state: options.state,
    }));
    return;
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
  if (!setting.enabled) return;
  try {
    await client.schedule.create(options);
  } catch (err) {
    // Created by a concurrent request meanwhile: make it match this one.
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await handle.update(() => ({
      spec: options.spec,
      action: options.action,
      policies: options.policies,
      state: options.state,
    }));
  }
}

/** Pauses the tenant's schedule, if it has one (the integration was disconnected). */
export async function pauseSyncSchedule(client: Client, tenantId: string, note: string): Promise<void> {
  try {
    await client.schedule.getHandle(syncScheduleId(tenantId)).pause(note);
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

function scheduleOptions(target: ScheduleTarget, setting: SyncScheduleSetting) {
  return {
    scheduleId: syncScheduleId(target.tenantId),
    spec: { intervals: [{ every: setting.intervalMinutes * 60_000 }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: SCHEDULED_DEVICE_SYNC_WORKFLOW,
      workflowId: scheduledSyncWorkflowId(target.tenantId),
      taskQueue: target.taskQueue,
      args: [{ tenantId: target.tenantId, integrationId: target.integrationId }],
      typedSearchAttributes: runSearchAttributes(target.tenantId, 'scheduled-device-sync'),
      staticSummary: 'Scheduled device sync',
    },
    // A tick while the last sync still runs is skipped, not queued.
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    state: { paused: !setting.enabled, ...(setting.enabled ? {} : { note: DISABLED_NOTE }) },
  } satisfies ScheduleOptions;
}
