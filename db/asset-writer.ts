// Writing assets in batches: one SQL statement per page of devices upserts every asset (keyed by
// tenant + Level device id), un-archives returning devices, stamps the sync run, and reports what
// each row was before — all from one snapshot, so the counts are exact without a second query.
//
// Relink by serial. A device re-enrolled in Level comes back under a new Level id; without help
// it would become a second asset of the same machine. So before the upsert, a device id the
// tenant has never seen may take over an existing asset of the same client with the same serial
// number and hostname (case-insensitive) — an archived one, or one whose own Level device is gone.
// Deciding "gone" needs Level (the caller asks it, see activities/asset-relinks.ts); this module
// finds the candidates (findRelinkCandidates) and applies the chosen relinks in the same statement
// as the upsert, so a relink and the counts still come from one snapshot.
//
// Race safety (PostgreSQL's default READ COMMITTED, as db/ticket-store.ts relies on): the relink
// is an UPDATE guarded by the asset's state as the caller saw it (its old Level id, the same client,
// serial and hostname, still archived unless Level said its device is gone). A concurrent writer
// that changed the row first makes PostgreSQL re-check those conditions on the newest row version;
// if they no longer hold the relink is dropped and the device is inserted as usual. Two writers
// relinking the same asset: one wins, the other's device finds the relinked row through
// `on conflict` and updates it — never two assets. If another writer inserted the new id after
// this statement's snapshot, the relink breaks the unique key and the statement fails; the retry
// (row by row here, then the activity's) sees that asset and no longer relinks.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { QueryResult } from '@mikro-orm/core';
import type { AssetFields } from '../domain/asset-from-device';
import { isConnectionLost } from './connection-lost';

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
  relinked: number;
  failed: number;
}

/** An existing asset that a device the tenant has never seen may take over. */
export interface RelinkCandidate {
  /** The new Level device. */
  levelDeviceId: string;
  assetId: string;
  /** The asset's own Level device, which must be gone for an active asset to be taken over. */
  previousDeviceId: string;
  archived: boolean;
}

/** A relink the caller decided on; an active asset only when Level said its device is gone. */
export interface Relink {
  levelDeviceId: string;
  assetId: string;
  previousDeviceId: string;
  deviceGone: boolean;
}

interface RowOutcome {
  level_device_id: string;
  asset_id: string;
  relinked: boolean;
  created: boolean;
  moved: boolean;
  changed: boolean;
}

const CANDIDATES_SQL = `
with incoming as (
  select * from jsonb_to_recordset(:rows::jsonb) as x(level_device_id text, client_id uuid, serial_number text, hostname text)
),
unseen as (
  select i.* from incoming i
  where nullif(btrim(i.serial_number), '') is not null and i.hostname is not null
    and not exists (select 1 from assets a where a.tenant_id = :tenantId and a.level_device_id = i.level_device_id)
)
select u.level_device_id, a.id as asset_id, a.level_device_id as previous_device_id, a.archived
from unseen u
join assets a on a.tenant_id = :tenantId and a.client_id = u.client_id
  and a.serial_number = u.serial_number and lower(a.hostname) = lower(u.hostname)
-- A live asset is not stolen: not when its own device is in this batch, nor when this sync has
-- already written it (or a device event has, since the sync started).
where not exists (select 1 from incoming i where i.level_device_id = a.level_device_id)
  and (a.archived or not coalesce(a.synced_at >= (select r.started_at from sync_runs r where r.id = :syncRunId::uuid), false))
order by u.level_device_id, a.synced_at desc, a.id`;

/** Assets the batch's never-seen devices could take over, for each device most recently synced first. */
export async function findRelinkCandidates(
  knex: Knex,
  context: AssetBatchContext,
  rows: AssetRow[],
): Promise<RelinkCandidate[]> {
  const keys = rows.filter((row) => row.fields.serialNumber && row.fields.hostname);
  if (keys.length === 0) return [];
  const payload = JSON.stringify(
    keys.map(({ fields, clientId }) => ({
      level_device_id: fields.levelDeviceId,
      client_id: clientId,
      serial_number: fields.serialNumber,
      hostname: fields.hostname,
    })),
  );
  const result = await knex.raw<{
    rows: Array<{ level_device_id: string; asset_id: string; previous_device_id: string; archived: boolean }>;
  }>(CANDIDATES_SQL, {
    rows: payload,
    tenantId: context.tenantId,
    syncRunId: context.syncRunId,
  });
  return result.rows.map((row) => ({
    levelDeviceId: row.level_device_id,
    assetId: row.asset_id,
    previousDeviceId: row.previous_device_id,
    archived: row.archived,
  }));
}

/** The columns that come from the Level device, in one order for the insert and the relink. */
const DEVICE_COLUMNS = [
  'name',
  'hostname',
  'asset_type',
  'platform',
  'os_name',
  'online',
  'last_seen_at',
  'last_reboot_at',
  'serial_number',
  'manufacturer',
  'model',
  'cpu',
  'memory_bytes',
  'disks',
  'ip_addresses',
  'level_group_id',
  'tags',
  'maintenance_mode',
  'raw',
];
const ASSET_COLUMNS = DEVICE_COLUMNS.join(', ');
const INCOMING_COLUMNS = DEVICE_COLUMNS.map((column) => `i.${column}`).join(', ');

const UPSERT_SQL = `
with incoming as (
  select * from jsonb_to_recordset(:rows::jsonb) as x(
    level_device_id text, client_id uuid, name text, hostname text, asset_type text, platform text,
    os_name text, online boolean, last_seen_at timestamptz, last_reboot_at timestamptz,
    serial_number text, manufacturer text, model text, cpu jsonb, memory_bytes bigint, disks jsonb,
    ip_addresses jsonb, level_group_id text, tags jsonb, maintenance_mode boolean, raw jsonb)
),
planned as (
  select * from jsonb_to_recordset(:relinks::jsonb) as r(level_device_id text, asset_id uuid, previous_device_id text, device_gone boolean)
),
previous as (
  select a.level_device_id, a.client_id, a.archived, a.raw, a.last_sync_run_id, a.created_at, a.relinked_at
  from assets a join incoming i using (level_device_id)
  where a.tenant_id = :tenantId
),
relinked as (
  update assets a set level_device_id = i.level_device_id, relinked_from_device_id = a.level_device_id, relinked_at = now(),
    integration_id = :integrationId, client_id = i.client_id, (${ASSET_COLUMNS}) = (${INCOMING_COLUMNS}),
    archived = false, archived_at = null, last_sync_run_id = :syncRunId, synced_at = now(), updated_at = now()
  from planned r join incoming i using (level_device_id)
  -- Re-checked on the newest row version if a concurrent writer got there first (see the header).
  where a.id = r.asset_id and a.tenant_id = :tenantId and a.level_device_id = r.previous_device_id
    and (a.archived or r.device_gone)
    and a.client_id = i.client_id and a.serial_number = i.serial_number and lower(a.hostname) = lower(i.hostname)
    and not exists (select 1 from previous p where p.level_device_id = i.level_device_id)
  returning a.id, a.level_device_id
),
written as (
  insert into assets (id, tenant_id, integration_id, client_id, level_device_id, ${ASSET_COLUMNS}, archived, archived_at,
    last_sync_run_id, synced_at, updated_at)
  select gen_random_uuid(), :tenantId, :integrationId, client_id, level_device_id, ${ASSET_COLUMNS}, false, null, :syncRunId, now(), now()
  from incoming i
  where not exists (select 1 from relinked x where x.level_device_id = i.level_device_id)
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
),
run as (select r.started_at from sync_runs r where r.id = :syncRunId::uuid)
select w.level_device_id, w.id as asset_id,
  -- Written first by an attempt of this same run that died before its heartbeat (a worker killed
  -- mid-page): a resumed sync still counts every asset it created or relinked once.
  coalesce(p.last_sync_run_id = :syncRunId::uuid and p.relinked_at >= (select started_at from run), false) as relinked,
  coalesce(p.level_device_id is null or (p.last_sync_run_id = :syncRunId::uuid and p.created_at >= (select started_at from run)), false) as created,
  coalesce(p.client_id <> i.client_id, false) as moved,
  coalesce(p.archived or p.raw is distinct from i.raw, false) as changed
from written w
join incoming i using (level_device_id)
left join previous p using (level_device_id)
union all
select x.level_device_id, x.id, true, false, false, false from relinked x`;

/**
 * Upserts one batch, applying the given relinks; a batch the database refuses is retried row by
 * row to isolate bad rows (a database that went away fails the whole call instead).
 */
export async function writeAssetBatch(
  knex: Knex,
  context: AssetBatchContext,
  rows: AssetRow[],
  relinks: readonly Relink[] = [],
): Promise<BatchCounts & { assetIds: Map<string, string> }> {
  const counts: BatchCounts = { created: 0, updated: 0, moved: 0, relinked: 0, failed: 0 };
  const assetIds = new Map<string, string>();
  if (rows.length === 0) return { ...counts, assetIds };
  let outcomes: RowOutcome[];
  try {
    outcomes = await upsert(knex, context, rows, relinks);
  } catch (err) {
    // A lost connection is no bad row: the caller's retry writes the batch again.
    if (rows.length === 1 || isConnectionLost(err)) throw err;
    outcomes = [];
    for (const row of rows) {
      try {
        outcomes.push(
          ...(await upsert(
            knex,
            context,
            [row],
            relinks.filter((relink) => relink.levelDeviceId === row.fields.levelDeviceId),
          )),
        );
      } catch (rowErr) {
        if (isConnectionLost(rowErr)) throw rowErr;
        counts.failed += 1;
      }
    }
  }
  for (const outcome of outcomes) {
    assetIds.set(outcome.level_device_id, outcome.asset_id);
    if (outcome.relinked) counts.relinked += 1;
    else if (outcome.created) counts.created += 1;
    else if (outcome.moved) counts.moved += 1;
    else if (outcome.changed) counts.updated += 1;
  }
  return { ...counts, assetIds };
}

async function upsert(
  knex: Knex,
  context: AssetBatchContext,
  rows: AssetRow[],
  relinks: readonly Relink[],
): Promise<RowOutcome[]> {
  const result = await knex.raw<{ rows: RowOutcome[] }>(UPSERT_SQL, {
    rows: JSON.stringify(rows.map(toRecord)),
    relinks: JSON.stringify(
      relinks.map((r) => ({
        level_device_id: r.levelDeviceId,
        asset_id: r.assetId,
        previous_device_id: r.previousDeviceId,
        device_gone: r.deviceGone,
      })),
    ),
    tenantId: context.tenantId,
    integrationId: context.integrationId,
    syncRunId: context.syncRunId,
  });
  return result.rows;
}

/**
 * Archives the integration's active assets this sync run did not write, except those written
 * since the run started (a native device event or an alert's device lookup: Level's newer word).
 */
export async function archiveAssetsNotSeen(
  em: EntityManager,
  run: { tenantId: string; integrationId: string; syncRunId: string },
): Promise<number> {
  const knex = em.getKnex();
  const update = knex('assets')
    .where({ tenant_id: run.tenantId, integration_id: run.integrationId, archived: false })
    .andWhere((q) => q.whereNull('last_sync_run_id').orWhereNot('last_sync_run_id', run.syncRunId))
    // Compared in SQL: the run's start keeps its microseconds there.
    .andWhere('synced_at', '<', knex('sync_runs').select('started_at').where({ id: run.syncRunId }))
    .update({ archived: true, archived_at: new Date(), updated_at: new Date() });
  // Through the EntityManager, so it runs in the caller's transaction.
  const result = await em.execute<QueryResult>(update, [], 'run');
  return result.affectedRows;
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

/** Archives the device's asset (never deletes it); true when there was an active one. */
export async function archiveDeviceAsset(
  em: EntityManager,
  ref: { tenantId: string; levelDeviceId: string },
): Promise<boolean> {
  const now = new Date();
  const archived = await em
    .getKnex()('assets')
    .where({ tenant_id: ref.tenantId, level_device_id: ref.levelDeviceId, archived: false })
    .update({ archived: true, archived_at: now, updated_at: now });
  return archived > 0;
}
