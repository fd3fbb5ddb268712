import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { updatedAt } from './columns';

export const STORM_GROUP_BY = ['client', 'client_condition'] as const;
export type StormGroupBy = (typeof STORM_GROUP_BY)[number];

/**
 * A tenant's alert settings (`GET|PUT /api/v1/alert-settings`): storm grouping, off by default.
 * One row per tenant; no row means the defaults (see db/alert-settings-store.ts).
 */
export const AlertSettingsSchema = defineEntity({
  name: 'AlertSettings',
  tableName: 'alert_settings',
  // `between` as PostgreSQL stores it (the schema diff compares the text of a check).
  checks: [
    {
      name: 'alert_settings_storm_threshold_check',
      expression: `"storm_threshold" >= 2 and "storm_threshold" <= 1000`,
    },
    {
      name: 'alert_settings_storm_window_minutes_check',
      expression: `"storm_window_minutes" >= 1 and "storm_window_minutes" <= 120`,
    },
  ],
  properties: (p) => ({
    tenantId: p.uuid().primary(),
    stormEnabled: p.boolean().default(false),
    stormThreshold: p.integer().default(10),
    stormWindowMinutes: p.integer().default(5),
    stormGroupBy: p
      .enum([...STORM_GROUP_BY])
      .columnType('text')
      .default('client'),
    ...updatedAt(),
  }),
});

export type AlertSettings = InferEntity<typeof AlertSettingsSchema>;
