// Readable workflow ids, `level/<tenant>/<operation>[/<key>]`, so operators can find a tenant's
// runs in the Temporal UI and the API can tell which tenant a run belongs to.
export type Operation = 'test-connection' | 'discover-groups' | 'device-sync' | 'backfill-alerts' | 'alert' | 'device' | 'group';

export function workflowId(tenantId: string, operation: Operation, key?: string): string {
  return key === undefined ? `level/${tenantId}/${operation}` : `level/${tenantId}/${operation}/${key}`;
}

export function belongsToTenant(id: string, tenantId: string): boolean {
  return id.startsWith(`level/${tenantId}/`);
}
