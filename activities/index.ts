// All activities the worker registers, built from their dependencies.
import { createConnectionActivities } from './connection-activities';
import type { ActivityDeps } from './deps';

export type { ActivityDeps } from './deps';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createConnectionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
