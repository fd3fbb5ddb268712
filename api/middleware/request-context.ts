// MikroORM's per-request identity map (as in MikroORM's Koa example): `orm.em` inside a request
// resolves to that request's own fork.
import { RequestContext } from '@mikro-orm/core';
import type { Context, Next } from 'koa';
import type { Orm } from '../../db/orm';

export function requestContext(orm: Orm) {
  return (_ctx: Context, next: Next) => RequestContext.create(orm.em, next);
}
