import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { timestamps } from './columns';

export const ASSET_TYPES = ['workstation', 'server'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/**
 * A Level device as a PSA asset of its effective client. Keyed by Level's device id; archived
 * (never deleted) when the device vanishes or leaves every mapping, restored when it returns;
 * relinked to a re-enrolled device's new id when the serial number and hostname match.
 * Written in bulk by the device sync with SQL upserts (see db/asset-writer.ts).
 */
export const AssetSchema = defineEntity({
  name: 'Asset',
  tableName: 'assets',
  uniques: [{ properties: ['tenantId', 'levelDeviceId'] }],
  indexes: [{ properties: ['tenantId', 'clientId'] }, { properties: ['tenantId', 'clientId', 'serialNumber'] }],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    integrationId: p.uuid().index(),
    clientId: p.uuid(),
    levelDeviceId: p.text(),
    name: p.text(),
    hostname: p.text().nullable(),
    assetType: p.enum([...ASSET_TYPES]).columnType('text'),
    platform: p.text().nullable(),
    osName: p.text().nullable(),
    online: p.boolean().default(false),
    lastSeenAt: p.datetime().columnType('timestamptz').nullable(),
    lastRebootAt: p.datetime().columnType('timestamptz').nullable(),
    serialNumber: p.text().nullable(),
    manufacturer: p.text().nullable(),
    model: p.text().nullable(),
    cpu: p.json<unknown>().nullable(),
    memoryBytes: p.bigint('number').nullable(),
    disks: p.json<unknown>().nullable(),
    ipAddresses: p.json<string[]>().nullable(),
    levelGroupId: p.text().nullable(),
    tags: p.json<string[]>().nullable(),
    maintenanceMode: p.boolean().default(false),
    raw: p.json<Record<string, unknown>>(),
    archived: p.boolean().default(false),
    archivedAt: p.datetime().columnType('timestamptz').nullable(),
    /** The Level id the asset had before a re-enrolled device took it over (relink by serial). */
    relinkedFromDeviceId: p.text().nullable(),
    relinkedAt: p.datetime().columnType('timestamptz').nullable(),
    lastSyncRunId: p.uuid().nullable(),
    syncedAt: p.datetime().columnType('timestamptz'),
    ...timestamps(),
  }),
});

export type Asset = InferEntity<typeof AssetSchema>;
