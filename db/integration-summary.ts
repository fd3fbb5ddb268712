// The integration card's summary line: mapped groups, synced devices (active assets), active alerts.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface IntegrationSummary {
  mappedGroups: number;
  devices: number;
  activeAlerts: number;
}

export async function integrationSummary(em: EntityManager, tenantId: string): Promise<IntegrationSummary> {
  const result = await em
    .getKnex()
    .raw<{ rows: Array<{ mapped_groups: string; devices: string; active_alerts: string }> }>(
      `select
       (select count(*) from level_groups where tenant_id = :tenantId and mapped_client_id is not null and not removed) as mapped_groups,
       (select count(*) from assets where tenant_id = :tenantId and not archived) as devices,
       (select count(*) from alerts where tenant_id = :tenantId and status = 'active') as active_alerts`,
      { tenantId },
    );
  const row = result.rows[0]!;
  return {
    mappedGroups: Number(row.mapped_groups),
    devices: Number(row.devices),
    activeAlerts: Number(row.active_alerts),
  };
}
