// PSA clients (the MSP's customers) that Level groups map to.
import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ClientSchema, type Client } from '../../db/entities';
import type { AppDeps } from '../deps';
import { tenantOf } from '../middleware/auth';
import { findPage, pageQuery } from '../pagination';
import type { OpenApiRegistry } from '../openapi';
import { clientResponse, pageOfSchema } from '../schemas';
import { parseInput } from '../validation';

export const createClientBody = z.object({ name: z.string().trim().min(1).max(200) }).strict();

export function clientRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const router = new Router();
  const em = () => deps.orm.em;
  docs.add({
    method: 'post',
    path: '/clients',
    summary: 'Create a client',
    body: createClientBody,
    responses: { 201: { description: 'The client', schema: clientResponse }, 400: 'Invalid input' },
  });
  docs.add({
    method: 'get',
    path: '/clients',
    summary: 'List clients by name',
    query: pageQuery,
    responses: {
      200: { description: 'A page of clients', schema: pageOfSchema(clientResponse) },
      400: 'Invalid query',
    },
  });

  router.post('/clients', async (ctx) => {
    const { name } = parseInput(createClientBody, ctx.request.body);
    const client = em().create(ClientSchema, {
      id: randomUUID(),
      tenantId: tenantOf(ctx),
      name,
      createdAt: new Date(),
    });
    await em().flush();
    ctx.status = 201;
    ctx.body = clientView(client);
  });

  router.get('/clients', async (ctx) => {
    const page = await findPage(
      em(),
      ClientSchema,
      { tenantId: tenantOf(ctx) },
      { name: 'asc', id: 'asc' },
      parseInput(pageQuery.strict(), ctx.query, 'query'),
    );
    ctx.body = { items: page.items.map(clientView), nextCursor: page.nextCursor };
  });
  return router;
}

export function clientView(client: Client) {
  return { id: client.id, name: client.name, createdAt: client.createdAt.toISOString() };
}
