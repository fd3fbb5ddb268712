// A tenant's alert settings (`GET|PUT /api/v1/alert-settings`): storm grouping. No row means the
// defaults (off). Routing reads the storm settings in its one context statement
// (db/alert-routing-store.ts), so this store serves only the API.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StormGroupBy } from './entities';

export interface StormSettings {
  enabled: boolean;
  /** Alerts of one client (or client and condition) within the window that make a storm: 2..1000. */
  threshold: number;
  /** 1..120. */
  windowMinutes: number;
  groupBy: StormGroupBy;
}

export interface AlertSettingsValue {
  storm: StormSettings;
}

export const STORM_LIMITS = { threshold: { min: 2, max: 1000 }, windowMinutes: { min: 1, max: 120 } } as const;

export const DEFAULT_STORM_SETTINGS: StormSettings = {
  enabled: false,
  threshold: 10,
  windowMinutes: 5,
  groupBy: 'client',
};

interface SettingsRow {
  storm_enabled: boolean;
  storm_threshold: number;
  storm_window_minutes: number;
  storm_group_by: StormGroupBy;
}

export async function readAlertSettings(em: EntityManager, tenantId: string): Promise<AlertSettingsValue> {
  const rows = await em.execute<SettingsRow[]>(
    `select "storm_enabled", "storm_threshold", "storm_window_minutes", "storm_group_by" from "alert_settings" where "tenant_id" = ?`,
    [tenantId],
  );
  return { storm: rows[0] ? stormOf(rows[0]) : { ...DEFAULT_STORM_SETTINGS } };
}

/** Stores the storm settings (one upsert) and answers them as stored. */
export async function saveStormSettings(
  em: EntityManager,
  tenantId: string,
  storm: StormSettings,
): Promise<AlertSettingsValue> {
  const rows = await em.execute<SettingsRow[]>(
    `insert into "alert_settings" ("tenant_id", "storm_enabled", "storm_threshold", "storm_window_minutes", "storm_group_by", "updated_at")
     values (?, ?, ?, ?, ?, now())
     on conflict ("tenant_id") do update set
       "storm_enabled" = excluded."storm_enabled", "storm_threshold" = excluded."storm_threshold",
       "storm_window_minutes" = excluded."storm_window_minutes", "storm_group_by" = excluded."storm_group_by", "updated_at" = now()
     returning "storm_enabled", "storm_threshold", "storm_window_minutes", "storm_group_by"`,
    [tenantId, storm.enabled, storm.threshold, storm.windowMinutes, storm.groupBy],
  );
  return { storm: stormOf(rows[0]!) };
}

function stormOf(row: SettingsRow): StormSettings {
  return {
    enabled: row.storm_enabled,
    threshold: row.storm_threshold,
    windowMinutes: row.storm_window_minutes,
    groupBy: row.storm_group_by,
  };
}
