import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** An admin bearer token; only its SHA-256 is stored. */
export const AdminTokenSchema = defineEntity({
  name: 'AdminToken',
  tableName: 'admin_tokens',
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    tokenHash: p.text().unique(),
    createdAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
  }),
});

export type AdminToken = InferEntity<typeof AdminTokenSchema>;
