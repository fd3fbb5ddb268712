// Creating tenants and their admin tokens (the admin CLI, first start, tests). The token is
// returned once and only its hash is stored.
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { generateToken, hashToken } from '../security/tokens';
import { AdminTokenSchema, TenantSchema } from './entities';

export interface NewTenant {
  tenantId: string;
  token: string;
}

export async function createTenantWithToken(em: EntityManager, name: string): Promise<NewTenant> {
  const tenantId = randomUUID();
  const token = generateToken();
  const now = new Date();
  // Tenant ids are plain columns (no ORM relation), so the tenant is flushed before its token
  // to satisfy the foreign key; both commit together.
  await em.transactional(async (tx) => {
    tx.create(TenantSchema, { id: tenantId, name, createdAt: now });
    await tx.flush();
    tx.create(AdminTokenSchema, { id: randomUUID(), tenantId, tokenHash: hashToken(token), createdAt: now });
  });
  return { tenantId, token };
}

export async function countTenants(em: EntityManager): Promise<number> {
  return em.count(TenantSchema, {});
}
