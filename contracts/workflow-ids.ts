// Readable workflow ids, `level/<tenant>/<operation>[/<key>]`, so operators can find a tenant's
// runs in the Temporal UI and the API can tell which tenant a run belongs to.
export type Operation =
  'test-connection' | 'discover-groups' | 'device-sync' | 'backfill-alerts' | 'alert' | 'device' | 'group' | 'storm';

export function workflowId(tenantId: string, operation: Operation, key?: string): string {
  return key === undefined ? `level/${tenantId}/${operation}` : `level/${tenantId}/${operation}/${key}`;
}

export function belongsToTenant(id: string, tenantId: string): boolean {
  return id.startsWith(`level/${tenantId}/`);
}

/** The tenant's device sync schedule (a Temporal Schedule, not a run). */
export const syncScheduleId = (tenantId: string): string => `level/${tenantId}/device-sync-schedule`;
/** The runs that schedule starts; Temporal appends the scheduled time to it for each run. */
export const scheduledSyncWorkflowId = (tenantId: string): string => `level/${tenantId}/scheduled-device-sync`;
