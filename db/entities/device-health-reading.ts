import { defineEntity, type InferEntity } from '@mikro-orm/core';

/**
 * The last health reading of a Level device (domain/health-snapshot.ts DeviceHealth), kept so
 * that tickets opened for the same device within a few minutes reuse it instead of asking Level
 * again; in PostgreSQL so every worker process shares it. One row per device, overwritten.
 */
export const DeviceHealthReadingSchema = defineEntity({
  name: 'DeviceHealthReading',
  tableName: 'device_health_readings',
  properties: (p) => ({
    tenantId: p.uuid().primary(),
    levelDeviceId: p.text().primary(),
    health: p.json<Record<string, unknown>>(),
    fetchedAt: p.datetime().columnType('timestamptz'),
  }),
});

export type DeviceHealthReading = InferEntity<typeof DeviceHealthReadingSchema>;
