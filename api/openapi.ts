// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests: each
// route module registers what it serves, and GET /api/v1/openapi.json renders the registry.
import { z } from 'zod';

export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Koa-style path, e.g. /api/v1/clients/:clientId */
  path: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodObject;
  responses: Record<number, string>;
  public?: boolean;
}

export class OpenApiRegistry {
  private readonly routes: RouteDoc[] = [];

  add(doc: RouteDoc): void {
    this.routes.push(doc);
  }

  document(): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of this.routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      paths[path] ??= {};
      paths[path][route.method] = operation(route);
    }
    return {
      openapi: '3.1.0',
      info: { title: 'Level RMM integration service', version: '1' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
        schemas: { Error: errorSchema },
      },
      paths,
    };
  }
}

function operation(route: RouteDoc): Record<string, unknown> {
  const pathParams = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const queryParams = route.query
    ? Object.entries(z.toJSONSchema(route.query, { io: 'input' }).properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: false, schema }))
    : [];
  return {
    summary: route.summary,
    ...(route.public ? {} : { security: [{ bearer: [] }] }),
    parameters: [...pathParams, ...queryParams],
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input' }) } } } } : {}),
    responses: Object.fromEntries(
      Object.entries(route.responses).map(([code, description]) => [
        code,
        Number(code) >= 400 ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } : { description },
      ]),
    ),
  };
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};
