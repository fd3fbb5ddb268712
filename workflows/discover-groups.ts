// Discover Groups: one activity pages Level's group hierarchy and stores it by Level id.
import { proxyActivities } from '@temporalio/workflow';
import type { createGroupActivities, DiscoverGroupsInput } from '../activities/group-activities';
import { NON_RETRYABLE_ERROR_TYPES } from '../contracts/failures';

export type { DiscoverGroupsInput };

export interface DiscoverGroupsResult {
  groups: number;
  created: number;
  updated: number;
  removed: number;
}

const { importLevelGroups } = proxyActivities<ReturnType<typeof createGroupActivities>>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
  },
});

export async function discoverGroups(input: DiscoverGroupsInput): Promise<DiscoverGroupsResult> {
  const { groups, created, updated, removed } = await importLevelGroups(input);
  return { groups, created, updated, removed };
}
