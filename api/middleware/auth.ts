// Bearer-token authentication for admin endpoints. A token belongs to exactly one tenant; the
// tenant id put on ctx.state scopes every query the handlers make.
import type { Context, Next } from 'koa';
import { tenantOfToken } from '../../db/admin-tokens';
import { ApiError } from '../errors';
import type { Orm } from '../../db/orm';

export interface AuthState {
  tenantId: string;
}

export function requireTenant(orm: Orm) {
  return async function authenticate(ctx: Context, next: Next): Promise<void> {
    const token = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    if (!token) throw unauthorized('Missing bearer token');
    const tenantId = await tenantOfToken(orm.em, token);
    if (!tenantId) throw unauthorized('Unknown, expired or revoked token');
    (ctx.state as AuthState).tenantId = tenantId;
    await next();
  };
}

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);

export function tenantOf(ctx: Context): string {
  return (ctx.state as AuthState).tenantId;
}
