import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { PRIORITIES } from '../../domain/priority';
import { timestamps } from './columns';

export const TICKET_STATUSES = ['open', 'in_progress', 'closed'] as const;
/** `storm`: the parent ticket of an alert storm (storm grouping); `alert`: every other ticket. */
export const TICKET_KINDS = ['alert', 'storm'] as const;

/**
 * A PSA ticket opened from Level alerts. At most one ticket that is not closed exists per
 * (tenant, device, condition): a partial unique index holds this, and repeats add occurrences
 * (see db/ticket-store.ts). `number` is allocated per tenant from ticket_counters. A storm's
 * parent (`kind` storm) has no device (`levelDeviceId` '') and the condition key of its storm
 * (db/storm-store.ts); a ticket grouped into a storm names its parent (`parentTicketId`).
 */
export const TicketSchema = defineEntity({
  name: 'Ticket',
  tableName: 'tickets',
  uniques: [
    { name: 'tickets_tenant_id_number_unique', properties: ['tenantId', 'number'] },
    {
      name: 'tickets_one_open_per_condition',
      expression: `create unique index "tickets_one_open_per_condition" on "tickets" ("tenant_id", "level_device_id", "condition_key") where "status" <> 'closed'`,
    },
  ],
  indexes: [
    { name: 'tickets_tenant_id_status_index', properties: ['tenantId', 'status'] },
    { name: 'tickets_tenant_id_client_id_index', properties: ['tenantId', 'clientId'] },
    {
      name: 'tickets_parent_ticket_id_index',
      expression: `create index "tickets_parent_ticket_id_index" on "tickets" ("parent_ticket_id") where "parent_ticket_id" is not null`,
    },
  ],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    number: p.integer(),
    title: p.text(),
    description: p.text(),
    priority: p.enum([...PRIORITIES]).columnType('text'),
    status: p.enum([...TICKET_STATUSES]).columnType('text'),
    clientId: p.uuid().nullable(),
    assetId: p.uuid().nullable(),
    levelDeviceId: p.text(),
    conditionKey: p.text(),
    /** Ids of the alerts (alerts.id) that fired into this ticket, oldest first. */
    alertIds: p.json<string[]>().defaultRaw(`'[]'`),
    occurrences: p.integer().default(1),
    assignee: p.text().nullable(),
    /** Set once a person changes the status or adds a note: auto-resolve then only adds a note. */
    touchedByHuman: p.boolean().default(false),
    ruleId: p.uuid().nullable(),
    kind: p
      .enum([...TICKET_KINDS])
      .columnType('text')
      .default('alert'),
    /** The storm parent this ticket was grouped into (closed with a note then). */
    parentTicketId: p.uuid().nullable(),
    ...timestamps(),
    closedAt: p.datetime().columnType('timestamptz').nullable(),
  }),
});

export type Ticket = InferEntity<typeof TicketSchema>;
