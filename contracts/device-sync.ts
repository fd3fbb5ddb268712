// The device sync's live progress, asked by the API (`GET /runs/:workflowId/progress`) while it runs.
import { defineQuery } from '@temporalio/workflow';

export interface DeviceSyncProgress {
  phase: 'planning' | 'syncing' | 'finishing' | 'done';
  processed: number;
  expected: number;
  groupsDone: number;
  groups: number;
}

export const progressQuery = defineQuery<DeviceSyncProgress>('progress');
