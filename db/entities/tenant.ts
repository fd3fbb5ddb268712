import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';

export const TenantSchema = defineEntity({
  name: 'Tenant',
  tableName: 'tenants',
  properties: (p) => ({
    id: p.uuid().primary(),
    name: p.text(),
    ...createdAt(),
  }),
});

export type Tenant = InferEntity<typeof TenantSchema>;
