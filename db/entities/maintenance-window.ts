import { defineEntity, type InferEntity } from '@mikro-orm/core';
import type { WeeklyRecurrence } from '../../domain/maintenance-windows';
import { timestamps } from './columns';

/**
 * A maintenance window (see domain/maintenance-windows.ts): either one-off (`startsAt` and
 * `endsAt`) or weekly (`recurrence`), never both (a check constraint holds this). Scoped to the
 * whole tenant, one client or one asset.
 */
export const MaintenanceWindowSchema = defineEntity({
  name: 'MaintenanceWindow',
  tableName: 'maintenance_windows',
  checks: [
    {
      name: 'maintenance_windows_schedule_check',
      expression: `("recurrence" is null and "starts_at" is not null and "ends_at" is not null and "ends_at" > "starts_at") or ("recurrence" is not null and "starts_at" is null and "ends_at" is null)`,
    },
  ],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    name: p.text(),
    enabled: p.boolean().default(true),
    scopeClientId: p.uuid().nullable(),
    /** No foreign key: the assets table belongs to device sync. */
    scopeAssetId: p.uuid().nullable(),
    startsAt: p.datetime().columnType('timestamptz').nullable(),
    endsAt: p.datetime().columnType('timestamptz').nullable(),
    recurrence: p.json<WeeklyRecurrence>().nullable(),
    ...timestamps(),
  }),
});

export type MaintenanceWindow = InferEntity<typeof MaintenanceWindowSchema>;
