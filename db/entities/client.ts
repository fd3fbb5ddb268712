import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';

/** A PSA client (an MSP's customer) that Level groups are mapped to. */
export const ClientSchema = defineEntity({
  name: 'Client',
  tableName: 'clients',
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    name: p.text(),
    ...createdAt(),
  }),
});

export type Client = InferEntity<typeof ClientSchema>;
