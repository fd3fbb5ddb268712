// Admin token lifecycle: create (shown once, only the hash kept), list (never the token), revoke,
// and the per-request check. A token authenticates while it is neither revoked nor expired.
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { generateToken, hashToken } from '../security/tokens';

export interface TokenInfo {
  id: string;
  tenantId: string;
  name: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** How stale `last_used_at` may get before a request refreshes it: one write a minute, not one a request. */
const LAST_USED_RESOLUTION = '1 minute';

export async function createAdminToken(
  em: EntityManager,
  tenantId: string,
  options: { name?: string; expiresAt?: Date } = {},
): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = generateToken();
  await em.execute(
    `insert into "admin_tokens" ("id", "tenant_id", "token_hash", "name", "expires_at", "created_at") values (?, ?, ?, ?, ?, now())`,
    [id, tenantId, hashToken(token), options.name ?? null, options.expiresAt ?? null],
  );
  return { id, token };
}

export async function listAdminTokens(em: EntityManager, tenantId: string): Promise<TokenInfo[]> {
  const rows = await em.execute<Array<Record<string, unknown>>>(
    `select "id", "tenant_id", "name", "created_at", "last_used_at", "expires_at", "revoked_at" from "admin_tokens" where "tenant_id" = ? order by "created_at", "id"`,
    [tenantId],
  );
  return rows.map((row) => ({
    id: row.id as string,
    tenantId: row.tenant_id as string,
    name: (row.name as string | null) ?? null,
    createdAt: dateOf(row.created_at)!,
    lastUsedAt: dateOf(row.last_used_at),
    expiresAt: dateOf(row.expires_at),
    revokedAt: dateOf(row.revoked_at),
  }));
}

/** Raw statements return timestamps as PostgreSQL's text (the ORM leaves them unparsed). */
function dateOf(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(value as string | Date);
}

/** True when the token existed and was not revoked before. */
export async function revokeAdminToken(em: EntityManager, id: string): Promise<boolean> {
  const rows = await em.execute<Array<{ id: string }>>(
    `update "admin_tokens" set "revoked_at" = now() where "id" = ? and "revoked_at" is null returning "id"`,
    [id],
  );
  return rows.length > 0;
}

/** The tenant a presented token belongs to, or null when it is unknown, revoked or expired. */
export async function tenantOfToken(em: EntityManager, token: string): Promise<string | null> {
  const rows = await em.execute<Array<{ id: string; tenant_id: string; stale: boolean }>>(
    `select "id", "tenant_id", ("last_used_at" is null or "last_used_at" < now() - interval '${LAST_USED_RESOLUTION}') as "stale"
     from "admin_tokens" where "token_hash" = ? and "revoked_at" is null and ("expires_at" is null or "expires_at" > now())`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.stale) await em.execute(`update "admin_tokens" set "last_used_at" = now() where "id" = ?`, [row.id]);
  return row.tenant_id;
}
