import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** The last ticket number handed out per tenant (allocated atomically in db/ticket-store.ts). */
export const TicketCounterSchema = defineEntity({
  name: 'TicketCounter',
  tableName: 'ticket_counters',
  properties: (p) => ({
    tenantId: p.uuid().primary(),
    lastNumber: p.integer(),
  }),
});

export type TicketCounter = InferEntity<typeof TicketCounterSchema>;
