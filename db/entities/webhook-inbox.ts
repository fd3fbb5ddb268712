import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';

export const INBOX_STATUSES = ['pending', 'sending', 'delivered', 'parked'] as const;

/**
 * An accepted event waiting for Temporal: the receiver (and the ticket-closed hook) write one row
 * when `signalWithStart` could not reach Temporal (`pending`: the inbox relay delivers it later) or
 * did not answer within the accept budget (`sending`: the receiver's call is still on the way and
 * settles the row to `delivered`, or to `pending` if it fails). A row that
 * cannot be delivered (Temporal refuses it, or it failed the same way too often) is `parked` with
 * its error and attempts until an admin redrives it; it blocks no other row. A row
 * holds exactly the signalWithStart it stands for (workflow id/type/args, signal name/args) and
 * never a secret. One row per (tenant, event id): a redelivered event is stored once.
 */
export const WebhookInboxSchema = defineEntity({
  name: 'WebhookInbox',
  tableName: 'webhook_inbox',
  uniques: [{ name: 'webhook_inbox_tenant_id_event_id_unique', properties: ['tenantId', 'eventId'] }],
  indexes: [
    { name: 'webhook_inbox_status_created_at_index', properties: ['status', 'createdAt'] },
    // Partial indexes (as the migrations create them): a run's events still queued, so later ones queue behind them;
    // each tenant's oldest queued rows, taken in turn by the relay; a tenant's parked rows.
    {
      name: 'webhook_inbox_queued_workflow_index',
      expression: `create index "webhook_inbox_queued_workflow_index" on "webhook_inbox" ("tenant_id", "workflow_id") where "status" in ('pending', 'sending')`,
    },
    {
      name: 'webhook_inbox_queued_tenant_index',
      expression: `create index "webhook_inbox_queued_tenant_index" on "webhook_inbox" ("tenant_id", "created_at") where "status" in ('pending', 'sending')`,
    },
    {
      name: 'webhook_inbox_parked_index',
      expression: `create index "webhook_inbox_parked_index" on "webhook_inbox" ("tenant_id", "parked_at") where "status" = 'parked'`,
    },
  ],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    eventId: p.text(),
    workflowId: p.text(),
    workflowType: p.text(),
    workflowArgs: p.json<unknown[]>(),
    signalName: p.text(),
    signalArgs: p.json<unknown[]>(),
    /** Shown in the Temporal UI when the relay starts the run. */
    summary: p.text().nullable(),
    status: p.enum([...INBOX_STATUSES]).columnType('text'),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    /** Consecutive failures with the same error (failures while Temporal is away do not count). */
    failureStreak: p.integer().default(0),
    /** A failing row is not tried again before this. */
    retryAt: p.datetime().columnType('timestamptz').nullable(),
    parkedAt: p.datetime().columnType('timestamptz').nullable(),
    ...createdAt(),
    deliveredAt: p.datetime().columnType('timestamptz').nullable(),
  }),
});

export type WebhookInbox = InferEntity<typeof WebhookInboxSchema>;

/**
 * Side effects of the alert lifecycle that must happen once even if an activity is retried
 * (open a ticket, add a note, resolve in Level): the activity inserts the action's id (a uuid the
 * workflow drew deterministically) in the same transaction as the effect, and a retry that
 * finds the id returns the stored outcome instead of acting again.
 */
export const AlertActionSchema = defineEntity({
  name: 'AlertAction',
  tableName: 'alert_actions',
  properties: (p) => ({
    id: p.text().primary(),
    tenantId: p.uuid().index(),
    levelAlertId: p.text(),
    outcome: p.json<Record<string, unknown>>(),
    ...createdAt(),
  }),
});

export type AlertAction = InferEntity<typeof AlertActionSchema>;
