import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt } from './columns';

/** An admin bearer token; only its SHA-256 is stored. Expired or revoked tokens no longer authenticate. */
export const AdminTokenSchema = defineEntity({
  name: 'AdminToken',
  tableName: 'admin_tokens',
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    tokenHash: p.text().unique(),
    ...createdAt(),
    name: p.text().nullable(),
    expiresAt: p.datetime().columnType('timestamptz').nullable(),
    revokedAt: p.datetime().columnType('timestamptz').nullable(),
    /** Written at most once a minute per token (see db/admin-tokens.ts). */
    lastUsedAt: p.datetime().columnType('timestamptz').nullable(),
  }),
});

export type AdminToken = InferEntity<typeof AdminTokenSchema>;
