// The reads and writes of routing one triggered alert, in as few statements as the work allows.
// Routing runs once per alert at webhook rate; on the worker, each statement through the ORM's
// unit of work and each round trip to PostgreSQL costs more CPU than the decision itself (see
// bench/README.md, Alerts). So one statement reads everything the decision needs, and one writes
// the alert row together with the action id that makes a routing happen once.
//
// Values are bound by name (`:tenantId`), not by position: the write takes twenty-one and the read
// uses the tenant's id six times, and a name cannot drift out of step with its column the way the
// twelfth of twenty-one `?` could. `named` (db/named-sql.ts) says how they reach PostgreSQL.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AlertRule } from '../domain/alert-rules';
import { named } from './named-sql';
import type { DeviceContext } from '../domain/alert-routing';
import type { MaintenanceWindowSpec } from '../domain/maintenance-windows';
import type { AlertRow } from './alert-row';
import type { StormSettings } from './alert-settings-store';
import type { Alert } from './entities';

export interface RoutingKey {
  tenantId: string;
  levelAlertId: string;
  levelDeviceId: string;
  conditionKey: string;
  /** The routing's action id: an outcome stored under it means the routing already ran. */
  actionId: string;
}

/** What the alert's row says, when it has one (the state a fresh workflow run starts from). */
export interface StoredAlert {
  id: string;
  status: Alert['status'];
  levelAlertId: string;
  levelDeviceId: string;
  name: string;
  description: string | null;
  severity: Alert['severity'];
  startedAt: Date | null;
  resolvedAt: Date | null;
  updatedAt: Date;
  raw: Record<string, unknown> | null;
}

export interface RoutingContext {
  priorOutcome: object | null;
  alert: StoredAlert | null;
  /** The open ticket of the alert's device and condition, if any. */
  openTicketId: string | null;
  device: DeviceContext | null;
  enabledRules: AlertRule[];
  enabledWindows: MaintenanceWindowSpec[];
  /** The tenant's storm grouping when it is on; null when off (the default). */
  storm: Omit<StormSettings, 'enabled'> | null;
}

/** The alert row routing writes (see alertRowOf). A null asset, client, ticket or window keeps what the row has. */
export interface RoutedAlert extends Omit<AlertRow, 'status' | 'resolvedAt'> {
  status: 'active' | 'suppressed' | 'unmapped';
  /** Written unless the alert is suppressed (a suppressed alert keeps the rule it last matched). */
  matchedRuleId: string | null;
}

/**
 * A JSON object of the device context of the asset `a`: its client's name and its group with all
 * ancestors (a recursive walk up the parents, bounded against cycles).
 */
const DEVICE_CONTEXT_JSON = `json_build_object(
  'assetId', a."id", 'clientId', a."client_id", 'levelGroupId', a."level_group_id",
  'deviceRole', a."raw"->>'role', 'deviceName', a."name",
  'clientName', coalesce((select c."name" from "clients" c where c."id" = a."client_id"), ''),
  'groupAncestry', (
    with recursive "chain" as (
      select g."level_group_id", g."parent_id", 0 as "depth" from "level_groups" g
      where g."tenant_id" = a."tenant_id" and g."level_group_id" = a."level_group_id"
      union all
      select g."level_group_id", g."parent_id", "chain"."depth" + 1 from "level_groups" g join "chain" on g."level_group_id" = "chain"."parent_id"
      where g."tenant_id" = a."tenant_id" and "chain"."depth" < 64)
    select coalesce(json_agg("level_group_id" order by "depth"), '[]') from "chain"))`;

const STORED_ALERT_JSON = `json_build_object(
  'id', al."id", 'status', al."status", 'levelAlertId', al."level_alert_id", 'levelDeviceId', al."level_device_id", 'name', al."name",
  'description', al."description", 'severity', al."severity", 'startedAt', al."started_at", 'resolvedAt', al."resolved_at",
  'updatedAt', al."updated_at", 'raw', al."raw")`;

const ALERT_BY_LEVEL_ID = `from "alerts" al where al."tenant_id" = :tenantId and al."level_alert_id" = :levelAlertId`;

const ACTIVE_ASSET = `from "assets" a where a."tenant_id" = :tenantId and a."level_device_id" = :levelDeviceId and not a."archived" limit 1`;

/** The context of the device's active asset, from the database alone; null when it has none. */
export async function findDeviceContext(
  em: EntityManager,
  tenantId: string,
  levelDeviceId: string,
): Promise<DeviceContext | null> {
  const rows = await em.execute<Array<{ device: DeviceContext }>>(
    named(em, `select ${DEVICE_CONTEXT_JSON} as "device" ${ACTIVE_ASSET}`, { tenantId, levelDeviceId }),
  );
  return rows[0] ? deviceContextOf(rows[0].device) : null;
}

/** The alert's row, or null when the alert was never stored. */
export async function findStoredAlert(
  em: EntityManager,
  tenantId: string,
  levelAlertId: string,
): Promise<StoredAlert | null> {
  const rows = await em.execute<Array<{ alert: StoredAlertJson }>>(
    named(em, `select ${STORED_ALERT_JSON} as "alert" ${ALERT_BY_LEVEL_ID}`, { tenantId, levelAlertId }),
  );
  return rows[0] ? storedAlertOf(rows[0].alert) : null;
}

/** Everything routing decides on, read in one statement. */
export async function loadRoutingContext(em: EntityManager, key: RoutingKey): Promise<RoutingContext> {
  const rows = await em.execute<
    Array<{
      prior_outcome: object | null;
      alert: StoredAlertJson | null;
      open_ticket_id: string | null;
      device: DeviceContext | null;
      rules: AlertRule[];
      windows: WindowJson[];
      storm: RoutingContext['storm'];
    }>
  >(
    named(
      em,
      `select
       (select "outcome" from "alert_actions" where "id" = :actionId) as "prior_outcome",
       (select ${STORED_ALERT_JSON} ${ALERT_BY_LEVEL_ID}) as "alert",
       (select "id" from "tickets" where "tenant_id" = :tenantId and "level_device_id" = :levelDeviceId and "condition_key" = :conditionKey and "status" <> 'closed') as "open_ticket_id",
       (select ${DEVICE_CONTEXT_JSON} ${ACTIVE_ASSET}) as "device",
       (select coalesce(json_agg(json_build_object(
          'id', r."id", 'name', r."name", 'enabled', r."enabled", 'position', r."position", 'conditions', r."conditions", 'actions', r."actions")), '[]')
        from "alert_rules" r where r."tenant_id" = :tenantId and r."enabled") as "rules",
       (select coalesce(json_agg(json_build_object(
          'id', w."id", 'scopeClientId', w."scope_client_id", 'scopeAssetId', w."scope_asset_id", 'startsAt', w."starts_at", 'endsAt', w."ends_at", 'recurrence', w."recurrence")), '[]')
        from "maintenance_windows" w where w."tenant_id" = :tenantId and w."enabled") as "windows",
       (select json_build_object('threshold', s."storm_threshold", 'windowMinutes', s."storm_window_minutes", 'groupBy', s."storm_group_by")
        from "alert_settings" s where s."tenant_id" = :tenantId and s."storm_enabled") as "storm"`,
      { ...key },
    ),
  );
  const row = rows[0]!;
  return {
    priorOutcome: row.prior_outcome,
    alert: row.alert ? storedAlertOf(row.alert) : null,
    openTicketId: row.open_ticket_id,
    device: row.device ? deviceContextOf(row.device) : null,
    enabledRules: row.rules,
    enabledWindows: row.windows.map(windowSpecOf),
    storm: row.storm,
  };
}

/**
 * Writes the alert row and stores the action's outcome, in one statement. Returns false, writing
 * nothing, when an outcome was stored under the action id already (a concurrent duplicate of the
 * activity got there first); in a transaction the caller then rolls back what it wrote before.
 */
export async function saveRoutedAlert(
  em: EntityManager,
  alert: RoutedAlert,
  action: { id: string; outcome: object },
): Promise<boolean> {
  const rows = await em.execute<Array<{ id: string }>>(
    named(
      em,
      `with "action" as (
       insert into "alert_actions" ("id", "tenant_id", "level_alert_id", "outcome", "created_at")
       values (:actionId, :tenantId, :levelAlertId, :outcome::jsonb, now())
       on conflict ("id") do nothing returning "id")
     insert into "alerts" as a ("id", "tenant_id", "level_alert_id", "integration_id", "level_device_id", "asset_id", "client_id", "name", "description",
       "severity", "status", "started_at", "resolved_at", "ticket_id", "matched_rule_id", "suppressed_by_window_id", "condition_key", "raw", "created_at", "updated_at")
     select :id::uuid, :tenantId::uuid, :levelAlertId, :integrationId::uuid, :levelDeviceId, :assetId::uuid, :clientId::uuid, :name, :description,
       :severity, :status, :startedAt::timestamptz, null, :ticketId::uuid, :matchedRuleId::uuid, :suppressedByWindowId::uuid, :conditionKey, :raw::jsonb, now(), now()
     from "action"
     on conflict ("tenant_id", "level_alert_id") do update set
       "integration_id" = excluded."integration_id",
       "level_device_id" = excluded."level_device_id",
       "asset_id" = coalesce(excluded."asset_id", a."asset_id"),
       "client_id" = coalesce(excluded."client_id", a."client_id"),
       "name" = excluded."name",
       "description" = excluded."description",
       "severity" = excluded."severity",
       "status" = excluded."status",
       "started_at" = coalesce(excluded."started_at", a."started_at"),
       "resolved_at" = null,
       "ticket_id" = coalesce(excluded."ticket_id", a."ticket_id"),
       "matched_rule_id" = case when excluded."status" = 'suppressed' then a."matched_rule_id" else excluded."matched_rule_id" end,
       "suppressed_by_window_id" = coalesce(excluded."suppressed_by_window_id", a."suppressed_by_window_id"),
       "condition_key" = excluded."condition_key",
       "raw" = excluded."raw",
       "failure_reason" = null,
       "updated_at" = now()
     returning a."id"`,
      {
        ...alert,
        startedAt: alert.startedAt?.toISOString() ?? null,
        raw: JSON.stringify(alert.raw),
        actionId: action.id,
        outcome: JSON.stringify(action.outcome),
      },
    ),
  );
  return rows.length > 0;
}

type StoredAlertJson = Omit<StoredAlert, 'startedAt' | 'resolvedAt' | 'updatedAt'> & {
  startedAt: string | null;
  resolvedAt: string | null;
  updatedAt: string;
};

function storedAlertOf(json: StoredAlertJson): StoredAlert {
  return {
    ...json,
    startedAt: json.startedAt ? new Date(json.startedAt) : null,
    resolvedAt: json.resolvedAt ? new Date(json.resolvedAt) : null,
    updatedAt: new Date(json.updatedAt),
  };
}

interface WindowJson {
  id: string;
  scopeClientId: string | null;
  scopeAssetId: string | null;
  startsAt: string | null;
  endsAt: string | null;
  recurrence: MaintenanceWindowSpec['recurrence'];
}

function windowSpecOf(row: WindowJson): MaintenanceWindowSpec {
  return {
    id: row.id,
    enabled: true,
    scope: { clientId: row.scopeClientId, assetId: row.scopeAssetId },
    startsAt: row.startsAt ? new Date(row.startsAt) : null,
    endsAt: row.endsAt ? new Date(row.endsAt) : null,
    recurrence: row.recurrence ?? null,
  };
}

/** A group cycle in stale data would repeat ids up to the walk's bound: keep each once. */
function deviceContextOf(json: DeviceContext): DeviceContext {
  return { ...json, groupAncestry: [...new Set(json.groupAncestry)] };
}
