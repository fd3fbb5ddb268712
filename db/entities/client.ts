import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A PSA client (an MSP's customer) that Level groups are mapped to. */
export const ClientSchema = defineEntity({
  name: 'Client',
  tableName: 'clients',
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    name: p.text(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  }),
});

export type Client = InferEntity<typeof ClientSchema>;
