// What the tenant's sync schedule starts (api/sync-schedule.ts). A Temporal Schedule gives each
// run it starts an id of its own (the id plus a timestamp), so it cannot start the device sync
// itself under the tenant's one sync id: this small run starts it as a child under that id
// (trigger `schedule`), which keeps the sync single-flight. If a sync is already running (a person
// clicked Run Device Sync), this one skips; the schedule's overlap policy skips a tick while
// this run, and so its sync, is still going.
import { ParentClosePolicy, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { runSearchAttributes } from '../contracts/search-attributes';
import { workflowId } from '../contracts/workflow-ids';
import { DEVICE_SYNC_WORKFLOW } from '../contracts/workflows';
import type { deviceSync, DeviceSyncResult } from './device-sync';

export interface ScheduledDeviceSyncInput {
  tenantId: string;
  integrationId: string;
}

export interface ScheduledDeviceSyncResult {
  /** False when a sync was already running: this tick skipped. */
  started: boolean;
  workflowId: string;
  result?: DeviceSyncResult;
}

export async function scheduledDeviceSync(input: ScheduledDeviceSyncInput): Promise<ScheduledDeviceSyncResult> {
  const syncId = workflowId(input.tenantId, 'device-sync');
  try {
    const sync = await startChild<typeof deviceSync>(DEVICE_SYNC_WORKFLOW, {
      workflowId: syncId,
      args: [{ tenantId: input.tenantId, integrationId: input.integrationId, trigger: 'schedule' }],
      // The sync goes on should this run be terminated; it records its own outcome.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: runSearchAttributes(input.tenantId, 'device-sync'),
      staticSummary: 'Sync Level devices to assets (scheduled)',
    });
    return { started: true, workflowId: syncId, result: await sync.result() };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { started: false, workflowId: syncId };
    throw err;
  }
}
