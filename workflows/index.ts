// The workflow bundle's entry point: every workflow type the worker serves.
export { testConnection } from './test-connection';
export { discoverGroups } from './discover-groups';
export { deviceSync } from './device-sync';
export { alertLifecycle } from './alert-lifecycle';
export { backfillAlerts } from './backfill-alerts';
export { deviceAlertReconcile } from './device-alert-reconcile';
export { deviceEvents, groupEvents } from './level-object-events';
export { scheduledDeviceSync } from './scheduled-device-sync';
export { stormGrouping } from './storm-grouping';
