// Writing assets in batches: one SQL statement per page of devices upserts every asset (keyed by
// tenant + Level device id), un-archives returning devices, stamps the sync run, and reports what
// each row was before — all from one snapshot, so the counts are exact without a second query.
import type { Knex } from '@mikro-orm/postgresql';
import type { AssetFields } from '../domain/asset-from-device';

export interface AssetBatchContext {
  tenantId: string;
  integrationId: string;
  syncRunId: string | null;
}

export interface AssetRow {
  fields: AssetFields;
  clientId: string;
}

export interface BatchCounts {
  created: number;
  updated: number;
  moved: number;
  failed: number;
}

interface RowOutcome {
  level_device_id: string;
  asset_id: string;
  created: boolean;
  moved: boolean;
  changed: boolean;
}

const UPSERT_SQL = `
with incoming as (
  select * from jsonb_to_recordset(?::jsonb) as x(
    level_device_id text, client_id uuid, name text, hostname text, asset_type text, platform text,
    os_name text, online boolean, last_seen_at timestamptz, last_reboot_at timestamptz,
    serial_number text, manufacturer text, model text, cpu jsonb, memory_bytes bigint, disks jsonb,
    ip_addresses jsonb, level_group_id text, tags jsonb, maintenance_mode boolean, raw jsonb)
),
previous as (
  select a.level_device_id, a.client_id, a.archived, a.raw, a.last_sync_run_id, a.created_at
  from assets a join incoming i using (level_device_id)
  where a.tenant_id = ?
),
written as (
  insert into assets (id, tenant_id, integration_id, client_id, level_device_id, name, hostname, asset_type,
    platform, os_name, online, last_seen_at, last_reboot_at, serial_number, manufacturer, model, cpu,
    memory_bytes, disks, ip_addresses, level_group_id, tags, maintenance_mode, raw, archived, archived_at,
    last_sync_run_id, synced_at, updated_at)
  select gen_random_uuid(), ?, ?, client_id, level_device_id, name, hostname, asset_type, platform, os_name,
    online, last_seen_at, last_reboot_at, serial_number, manufacturer, model, cpu, memory_bytes, disks,
    ip_addresses, level_group_id, tags, maintenance_mode, raw, false, null, ?, now(), now()
  from incoming
  on conflict (tenant_id, level_device_id) do update set
    integration_id = excluded.integration_id, client_id = excluded.client_id, name = excluded.name,
    hostname = excluded.hostname, asset_type = excluded.asset_type, platform = excluded.platform,
    os_name = excluded.os_name, online = excluded.online, last_seen_at = excluded.last_seen_at,
    last_reboot_at = excluded.last_reboot_at, serial_number = excluded.serial_number,
    manufacturer = excluded.manufacturer, model = excluded.model, cpu = excluded.cpu,
    memory_bytes = excluded.memory_bytes, disks = excluded.disks, ip_addresses = excluded.ip_addresses,
    level_group_id = excluded.level_group_id, tags = excluded.tags, maintenance_mode = excluded.maintenance_mode,
    raw = excluded.raw, archived = false, archived_at = null, last_sync_run_id = excluded.last_sync_run_id,
    synced_at = excluded.synced_at, updated_at = excluded.updated_at
  returning id, level_device_id
)
select w.level_device_id, w.id as asset_id,
  -- Also created: written first by an attempt of this same run that died before its heartbeat
  -- (a worker killed mid-page), so a resumed sync still counts every asset it created once.
  coalesce(p.level_device_id is null or (p.last_sync_run_id = ?::uuid and p.created_at >= (select r.started_at from sync_runs r where r.id = ?::uuid)), false) as created,
  coalesce(p.client_id <> i.client_id, false) as moved,
  coalesce(p.archived or p.raw is distinct from i.raw, false) as changed
from written w
join incoming i using (level_device_id)
left join previous p using (level_device_id)`;

/** Upserts one batch; a batch the database refuses is retried row by row to isolate bad rows. */
export async function writeAssetBatch(knex: Knex, context: AssetBatchContext, rows: AssetRow[]): Promise<BatchCounts & { assetIds: Map<string, string> }> {
  const counts: BatchCounts = { created: 0, updated: 0, moved: 0, failed: 0 };
  const assetIds = new Map<string, string>();
  if (rows.length === 0) return { ...counts, assetIds };
  let outcomes: RowOutcome[];
  try {
    outcomes = await upsert(knex, context, rows);
  } catch (err) {
    if (rows.length === 1) throw err;
    outcomes = [];
    for (const row of rows) {
      try {
        outcomes.push(...(await upsert(knex, context, [row])));
      } catch {
        counts.failed += 1;
      }
    }
  }
  for (const outcome of outcomes) {
    assetIds.set(outcome.level_device_id, outcome.asset_id);
    if (outcome.created) counts.created += 1;
    else if (outcome.moved) counts.moved += 1;
    else if (outcome.changed) counts.updated += 1;
  }
  return { ...counts, assetIds };
}

async function upsert(knex: Knex, context: AssetBatchContext, rows: AssetRow[]): Promise<RowOutcome[]> {
  const payload = JSON.stringify(rows.map(toRecord));
  const result = await knex.raw<{ rows: RowOutcome[] }>(UPSERT_SQL, [payload, context.tenantId, context.tenantId, context.integrationId, context.syncRunId, context.syncRunId, context.syncRunId]);
  return result.rows;
}

function toRecord({ fields, clientId }: AssetRow) {
  return {
    level_device_id: fields.levelDeviceId,
    client_id: clientId,
    name: fields.name,
    hostname: fields.hostname,
    asset_type: fields.assetType,
    platform: fields.platform,
    os_name: fields.osName,
    online: fields.online,
    last_seen_at: fields.lastSeenAt?.toISOString() ?? null,
    last_reboot_at: fields.lastRebootAt?.toISOString() ?? null,
    serial_number: fields.serialNumber,
    manufacturer: fields.manufacturer,
    model: fields.model,
    cpu: fields.cpu,
    memory_bytes: fields.memoryBytes,
    disks: fields.disks,
    ip_addresses: fields.ipAddresses,
    level_group_id: fields.levelGroupId,
    tags: fields.tags,
    maintenance_mode: fields.maintenanceMode,
    raw: fields.raw,
  };
}
