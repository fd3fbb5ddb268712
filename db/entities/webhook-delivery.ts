import { defineEntity, type InferEntity } from '@mikro-orm/core';

export const DELIVERY_SOURCES = ['automation', 'native', 'test'] as const;
export type DeliverySource = (typeof DELIVERY_SOURCES)[number];

/** What the receiver answered. `parked` is never stored: the list reads it from the inbox row. */
export const DELIVERY_OUTCOMES = ['accepted', 'duplicate', 'ignored', 'rejected'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number] | 'parked';

/**
 * The delivery log: one row per webhook request that passed authentication, with what became of
 * it. Written in batches off the accept path (api/webhook/delivery-recorder.ts), pruned in the
 * background (at most 10,000 rows and 30 days per tenant). Never a header, never the body: only
 * ids, the event type, the outcome and a short reason.
 */
export const WebhookDeliverySchema = defineEntity({
  name: 'WebhookDelivery',
  tableName: 'webhook_deliveries',
  indexes: [{ name: 'webhook_deliveries_tenant_received_index', properties: ['tenantId', 'receivedAt', 'id'] }],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    integrationId: p.uuid(),
    receivedAt: p.datetime().columnType('timestamptz'),
    source: p.enum([...DELIVERY_SOURCES]).columnType('text'),
    eventType: p.text().nullable(),
    eventId: p.text().nullable(),
    outcome: p.enum([...DELIVERY_OUTCOMES]).columnType('text'),
    httpStatus: p.integer(),
    /** Where an accepted event was made durable: temporal, inbox or nowhere (ignored). */
    recordedIn: p.text().nullable(),
    levelAlertId: p.text().nullable(),
    levelDeviceId: p.text().nullable(),
    workflowId: p.text().nullable(),
    error: p.text().nullable(),
  }),
});

export type WebhookDelivery = InferEntity<typeof WebhookDeliverySchema>;

/**
 * Per integration: when the last authenticated delivery arrived, and how many requests failed
 * authentication since when. Counted in memory by each API process and added here periodically:
 * a flood of bad requests costs no row and no statement per request.
 */
export const WebhookDeliveryStatsSchema = defineEntity({
  name: 'WebhookDeliveryStats',
  tableName: 'webhook_delivery_stats',
  properties: (p) => ({
    integrationId: p.uuid().primary(),
    tenantId: p.uuid(),
    lastReceivedAt: p.datetime().columnType('timestamptz').nullable(),
    unauthenticatedAttempts: p.bigint('number').default(0),
    unauthenticatedSince: p.datetime().columnType('timestamptz').nullable(),
  }),
});

export type WebhookDeliveryStats = InferEntity<typeof WebhookDeliveryStatsSchema>;
