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
    tx.create(AdminTokenSchema, {
      id: randomUUID(),
      tenantId,
      tokenHash: hashToken(token),
      name: 'first token',
      createdAt: now,
    });
  });
  return { tenantId, token };
}

export async function countTenants(em: EntityManager): Promise<number> {
  return em.count(TenantSchema, {});
}

/** A tenant by id, or by its exact name when exactly one tenant has it. */
export async function findTenant(em: EntityManager, idOrName: string): Promise<{ id: string; name: string } | null> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const rows = await em.execute<Array<{ id: string; name: string }>>(
    `select "id", "name" from "tenants" where ${uuid ? `"id" = ?` : `"name" = ?`} limit 2`,
    [idOrName],
  );
  return rows.length === 1 ? rows[0]! : null;
}
