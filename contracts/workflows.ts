// Every workflow type the worker serves, by the name Temporal knows it by, and the operation each
// belongs to (the `<operation>` of its id and its LevelOperation attribute). Start a workflow with
// one of these constants (typed by `typeof` the workflow function), never with a string.
// The names are history: changing a value breaks every run and replay fixture that uses it.
import type * as Workflows from '../workflows';
import type { Operation } from './workflow-ids';

export const WORKFLOW_TYPES = {
  testConnection: 'testConnection',
  discoverGroups: 'discoverGroups',
  deviceSync: 'deviceSync',
  scheduledDeviceSync: 'scheduledDeviceSync',
  alertLifecycle: 'alertLifecycle',
  backfillAlerts: 'backfillAlerts',
  deviceAlertReconcile: 'deviceAlertReconcile',
  deviceEvents: 'deviceEvents',
  groupEvents: 'groupEvents',
  stormGrouping: 'stormGrouping',
} as const satisfies { [Name in keyof typeof Workflows]: Name };

export type WorkflowType = (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES];

export const TEST_CONNECTION_WORKFLOW = WORKFLOW_TYPES.testConnection;
export const DISCOVER_GROUPS_WORKFLOW = WORKFLOW_TYPES.discoverGroups;
export const DEVICE_SYNC_WORKFLOW = WORKFLOW_TYPES.deviceSync;
export const SCHEDULED_DEVICE_SYNC_WORKFLOW = WORKFLOW_TYPES.scheduledDeviceSync;
export const ALERT_LIFECYCLE_WORKFLOW = WORKFLOW_TYPES.alertLifecycle;
export const BACKFILL_ALERTS_WORKFLOW = WORKFLOW_TYPES.backfillAlerts;
export const DEVICE_RECONCILE_WORKFLOW = WORKFLOW_TYPES.deviceAlertReconcile;
export const DEVICE_EVENTS_WORKFLOW = WORKFLOW_TYPES.deviceEvents;
export const GROUP_EVENTS_WORKFLOW = WORKFLOW_TYPES.groupEvents;
export const STORM_GROUPING_WORKFLOW = WORKFLOW_TYPES.stormGrouping;

/** The workflow types that events are signalled into (the receiver, the inbox relay, backfill). */
export type SignalledWorkflowType =
  | typeof ALERT_LIFECYCLE_WORKFLOW
  | typeof DEVICE_RECONCILE_WORKFLOW
  | typeof DEVICE_EVENTS_WORKFLOW
  | typeof GROUP_EVENTS_WORKFLOW
  | typeof STORM_GROUPING_WORKFLOW;

/** The operation (id segment, LevelOperation attribute) of each: a relayed inbox row carries only its type. */
export const OPERATION_OF_SIGNALLED_WORKFLOW: Record<SignalledWorkflowType, Operation> = {
  alertLifecycle: 'alert',
  deviceAlertReconcile: 'backfill-alerts',
  deviceEvents: 'device',
  groupEvents: 'group',
  stormGrouping: 'storm',
};
