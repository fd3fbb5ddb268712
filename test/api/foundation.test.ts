// Health, authentication, clients and request validation against the real stack.
import assert from 'node:assert/strict';
import { apiAs, call } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('API foundation', function () {
  this.timeout(120_000);
  let env: TestEnv;

  before(async () => {
    env = await getTestEnv();
  });

  it('answers liveness and readiness', async () => {
    const health = await call(env.apiUrl, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
    const ready = await call(env.apiUrl, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body.checks, { database: 'ok', temporal: 'ok' });
  });

  it('rejects admin requests without a valid token', async () => {
    const missing = await call(env.apiUrl, 'GET', '/api/v1/clients');
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'unauthorized');
    const wrong = await call(env.apiUrl, 'GET', '/api/v1/clients', { token: 'lvl_not-a-real-token' });
    assert.equal(wrong.status, 401);
  });

  it('creates and lists clients per tenant', async () => {
    const a = await env.createTenant('Tenant A');
    const b = await env.createTenant('Tenant B');
    const created = await apiAs(env.apiUrl, a.token).post('/api/v1/clients', { name: 'Acme Corp' });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'Acme Corp');
    assert.match(created.body.id, /^[0-9a-f-]{36}$/);
    assert.ok(!Number.isNaN(Date.parse(created.body.createdAt)));

    const listA = await apiAs(env.apiUrl, a.token).get('/api/v1/clients');
    assert.deepEqual(
      listA.body.items.map((c: { name: string }) => c.name),
      ['Acme Corp'],
    );
    const listB = await apiAs(env.apiUrl, b.token).get('/api/v1/clients');
    assert.deepEqual(listB.body.items, []);
  });

  describe('bad input', () => {
    let api: ReturnType<typeof apiAs>;
    before(async () => {
      api = apiAs(env.apiUrl, (await env.createTenant()).token);
    });

    it('names the invalid fields with 400 and creates nothing', async () => {
      const response = await api.post('/api/v1/clients', { name: '' });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'invalid_request');
      assert.deepEqual(
        response.body.error.details.fields.map((f: { field: string }) => f.field),
        ['name'],
      );
      const unknownField = await api.post('/api/v1/clients', { name: 'x', extra: 1 });
      assert.equal(unknownField.status, 400);
      assert.deepEqual((await api.get('/api/v1/clients')).body.items, []);
    });

    it('answers 400 for malformed JSON', async () => {
      const response = await api.post('/api/v1/clients', undefined, {
        rawBody: '{"name": ',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'invalid_json');
      assert.equal(typeof response.body.error.message, 'string');
      assert.ok(!JSON.stringify(response.body).includes('at '), 'no stack trace');
    });

    it('answers 415 for a body that is not JSON', async () => {
      const response = await api.post('/api/v1/clients', undefined, {
        rawBody: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(response.status, 415);
      assert.equal(response.body.error.code, 'unsupported_media_type');
    });

    it('answers 413 for an oversized body', async () => {
      const response = await api.post('/api/v1/clients', { name: 'x'.repeat(300 * 1024) });
      assert.equal(response.status, 413);
      assert.equal(response.body.error.code, 'payload_too_large');
    });

    it('answers 404 in the error shape for unknown endpoints', async () => {
      const response = await api.get('/api/v1/nothing-here');
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'not_found');
    });
  });

  it('serves an OpenAPI document built from the request schemas', async () => {
    const response = await call(env.apiUrl, 'GET', '/api/v1/openapi.json');
    assert.equal(response.status, 200);
    assert.equal(response.body.openapi, '3.1.0');
    const put = response.body.paths['/api/v1/integrations/level'].put;
    assert.deepEqual(put.requestBody.content['application/json'].schema.required, ['apiKey']);
  });
});
