import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { SEVERITIES } from '../../domain/priority';
import { timestamps } from './columns';

/** `failed`: parked after an error no retry can fix (see failureReason). */
/** `unmapped`: no mapping covers the alert's device (recorded; ticketed only by an `unmapped` rule). */
/** `dampened`: resolved while its rule's hold (`holdMinutes`) kept it from a ticket: a flap, never ticketed. */
export const ALERT_STATUSES = ['active', 'resolved', 'suppressed', 'failed', 'unmapped', 'dampened'] as const;

/**
 * A Level alert as the service recorded it, one row per (tenant, Level alert id). The alert
 * lifecycle keeps it current; `conditionKey` (see conditionKeyFor in db/ticket-store.ts) groups
 * repeated firings of the same condition on the same device.
 */
export const AlertSchema = defineEntity({
  name: 'Alert',
  tableName: 'alerts',
  uniques: [{ name: 'alerts_tenant_id_level_alert_id_unique', properties: ['tenantId', 'levelAlertId'] }],
  indexes: [
    { name: 'alerts_tenant_id_status_index', properties: ['tenantId', 'status'] },
    { name: 'alerts_tenant_id_condition_key_index', properties: ['tenantId', 'conditionKey'] },
  ],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    levelAlertId: p.text(),
    integrationId: p.uuid().nullable(),
    levelDeviceId: p.text(),
    assetId: p.uuid().nullable(),
    clientId: p.uuid().nullable(),
    name: p.text(),
    description: p.text().nullable(),
    severity: p.enum([...SEVERITIES]).columnType('text'),
    status: p.enum([...ALERT_STATUSES]).columnType('text'),
    startedAt: p.datetime().columnType('timestamptz').nullable(),
    resolvedAt: p.datetime().columnType('timestamptz').nullable(),
    ticketId: p.uuid().nullable().index(),
    matchedRuleId: p.uuid().nullable(),
    suppressedByWindowId: p.uuid().nullable(),
    conditionKey: p.text(),
    /** Why routing gave up on the alert (status `failed`). */
    failureReason: p.text().nullable(),
    /** The last payload received from Level for this alert. */
    raw: p.json<Record<string, unknown>>().nullable(),
    ...timestamps(),
  }),
});

export type Alert = InferEntity<typeof AlertSchema>;
