// The OpenAPI document against the routes: every route mounted on the Koa app is documented with
// its method and path, and every documented operation is mounted. The console's static pages are
// not API and are left out. Paths compare in OpenAPI form (Koa's `:id` and `*id` as `{id}`).
import type Router from '@koa/router';
import assert from 'node:assert/strict';
import { API_PREFIX, createApp } from '../../api/app';
import { consoleRoutes } from '../../api/console/routes';
import { openApiPath } from '../../api/openapi';
import { call, serveApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** `GET /api/v1/clients`-style keys of every route the routers mounted on the app serve. */
function mountedOperations(middleware: unknown[], exclude: Set<string>): Set<string> {
  const operations = new Set<string>();
  for (const fn of middleware) {
    const router = (fn as { router?: Router }).router;
    if (!router) continue;
    for (const layer of router.stack) {
      for (const method of layer.methods.map((m) => m.toLowerCase()).filter((m) => METHODS.includes(m))) {
        const key = `${method} ${openApiPath(String(layer.path))}`;
        if (!exclude.has(key)) operations.add(key);
      }
    }
  }
  return operations;
}

function documentedOperations(doc: { paths: Record<string, Record<string, unknown>> }): Set<string> {
  const operations = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of Object.keys(item).filter((m) => METHODS.includes(m))) operations.add(`${method} ${path}`);
  }
  return operations;
}

describe('OpenAPI document', function () {
  this.timeout(120_000);
  let env: TestEnv;

  before(async () => {
    env = await getTestEnv();
  });

  it('documents every mounted route, and only those', async () => {
    const app = createApp({ ...env.services, logger: env.logger, config: env.config });
    const consolePages = mountedOperations(
      [consoleRoutes({ temporalUiUrl: '', temporalNamespace: '' }).routes()],
      new Set(),
    );
    const mounted = mountedOperations(app.middleware, consolePages);
    const served = await serveApp(app);
    try {
      const response = await call(served.url, 'GET', `${API_PREFIX}/openapi.json`);
      assert.equal(response.status, 200);
      assert.equal(response.body.openapi, '3.1.0');
      const documented = documentedOperations(response.body);
      assert.ok(mounted.size > 30, `only ${mounted.size} routes found on the app`);
      assert.deepEqual([...mounted].filter((op) => !documented.has(op)).sort(), [], 'mounted but not documented');
      assert.deepEqual([...documented].filter((op) => !mounted.has(op)).sort(), [], 'documented but not mounted');
      assert.ok(mounted.has('get /api/v1/runs/{workflowId}'));
      assert.ok(mounted.has('post /webhooks/level/{webhookId}'));
    } finally {
      await served.close();
    }
  });

  it('gives every operation its responses, with a schema for each JSON body', async () => {
    const doc = (await call(env.apiUrl, 'GET', `${API_PREFIX}/openapi.json`)).body;
    for (const [path, item] of Object.entries<
      Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
    >(doc.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const codes = Object.keys(operation.responses);
        assert.ok(
          codes.some((code) => code.startsWith('2')),
          `${method} ${path} has no success response`,
        );
        for (const code of codes) {
          const content = operation.responses[code]!.content;
          if (code !== '204' && !content) assert.fail(`${method} ${path} ${code} has no body schema`);
          for (const media of Object.values(content ?? {}))
            assert.ok(media.schema, `${method} ${path} ${code} has no schema`);
        }
      }
    }
    const list = doc.paths['/api/v1/alert-rules'].get.responses['200'].content['application/json'].schema;
    assert.deepEqual(list.required, ['items', 'nextCursor']);
    assert.equal(list.properties.items.items.$ref, '#/components/schemas/AlertRule');
    assert.equal(
      doc.paths['/api/v1/tickets/{id}'].get.responses['404'].content['application/json'].schema.$ref,
      '#/components/schemas/Error',
    );
    assert.deepEqual(doc.components.schemas.Error.required, ['error']);
  });
});
