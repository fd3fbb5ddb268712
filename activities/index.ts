// All activities the worker registers, built from their dependencies.
import { createAlertResolutionActivities } from './alert-resolution-activities';
import { createAlertRoutingActivities } from './alert-routing-activities';
import { createBackfillActivities } from './backfill-activities';
import { createConnectionActivities } from './connection-activities';
import { createDeviceSyncActivities } from './device-sync-activities';
import { createGroupActivities } from './group-activities';
import { createHealthSnapshotActivities } from './health-snapshot';
import { createLevelObjectActivities } from './level-object-activities';
import { createStormActivities } from './storm-activities';
import type { ActivityDeps } from './deps';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createConnectionActivities(deps),
    ...createGroupActivities(deps),
    ...createDeviceSyncActivities(deps),
    ...createAlertRoutingActivities(deps),
    ...createAlertResolutionActivities(deps),
    ...createBackfillActivities(deps),
    ...createLevelObjectActivities(deps),
    ...createHealthSnapshotActivities(deps),
    ...createStormActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
