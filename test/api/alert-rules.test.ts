// Alert rules over HTTP: CRUD, validation, ordering and tenant isolation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { apiAs, call, errorFields } from '../support/http';
import { tenantApiPerTest, type TestEnv } from '../support/test-env';

type Api = ReturnType<typeof apiAs>;

const actions = { createTicket: true, autoResolveTicket: true, resolveAlertOnTicketClose: false };

describe('API alert rules', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let api: Api;
  tenantApiPerTest((tenant) => ({ env, api } = tenant));

  it('creates, reads, replaces and deletes rules; new rules go last', async () => {
    const client = (await api.post('/api/v1/clients', { name: 'Acme' })).body;
    const created = await api.post('/api/v1/alert-rules', {
      name: 'Critical servers',
      conditions: {
        severities: ['critical', 'emergency'],
        clientIds: [client.id],
        deviceRoles: ['server'],
        keywords: ['disk'],
        pattern: '^disk .* full$',
      },
      actions: { ...actions, priority: 'urgent', assignee: 'NOC', titleTemplate: '{{alert}} on {{device}}' },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^[0-9a-f-]{36}$/);
    assert.equal(created.body.position, 0);
    assert.equal(created.body.enabled, true);
    assert.deepEqual(created.body.conditions, {
      severities: ['critical', 'emergency'],
      clientIds: [client.id],
      deviceRoles: ['server'],
      keywords: ['disk'],
      pattern: '^disk .* full$',
    });
    assert.deepEqual(created.body.actions, {
      ...actions,
      priority: 'urgent',
      assignee: 'NOC',
      titleTemplate: '{{alert}} on {{device}}',
    });

    const second = await api.post('/api/v1/alert-rules', { name: 'Everything else', actions: { createTicket: false } });
    assert.equal(second.status, 201);
    assert.equal(second.body.position, 1);
    assert.deepEqual(second.body.conditions, {});
    assert.deepEqual(second.body.actions, {
      createTicket: false,
      autoResolveTicket: false,
      resolveAlertOnTicketClose: false,
    });

    const read = await api.get(`/api/v1/alert-rules/${created.body.id}`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created.body);

    // A rule read back can be sent back (id and position are ignored).
    const replaced = await api.put(`/api/v1/alert-rules/${created.body.id}`, {
      ...read.body,
      name: 'Critical only',
      enabled: false,
      conditions: { severities: ['critical'] },
      position: 7,
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.name, 'Critical only');
    assert.equal(replaced.body.enabled, false);
    assert.equal(replaced.body.position, 0);
    assert.deepEqual(replaced.body.conditions, { severities: ['critical'] });
    // The ORM stamps updatedAt on every change (onUpdate); createdAt stays.
    assert.equal(replaced.body.createdAt, created.body.createdAt);
    assert.ok(
      Date.parse(replaced.body.updatedAt) > Date.parse(created.body.updatedAt),
      `${created.body.updatedAt} → ${replaced.body.updatedAt}`,
    );

    const list = await api.get('/api/v1/alert-rules');
    assert.deepEqual(
      list.body.items.map((r: { name: string }) => r.name),
      ['Critical only', 'Everything else'],
    );

    const deleted = await api.delete(`/api/v1/alert-rules/${created.body.id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await api.get(`/api/v1/alert-rules/${created.body.id}`)).status, 404);
    const after = await api.get('/api/v1/alert-rules');
    assert.deepEqual(
      after.body.items.map((r: { name: string; position: number }) => [r.name, r.position]),
      [['Everything else', 0]],
    );
  });

  it('rejects invalid rules with 400 naming the fields and stores nothing', async () => {
    const other = apiAs(env.apiUrl, (await env.createTenant()).token);
    const foreignClient = (await other.post('/api/v1/clients', { name: 'Not yours' })).body;

    const badPattern = await api.post('/api/v1/alert-rules', {
      name: 'Bad regex',
      conditions: { pattern: '(unclosed' },
      actions,
    });
    assert.equal(badPattern.status, 400);
    assert.equal(badPattern.body.error.code, 'invalid_request');
    assert.deepEqual(errorFields(badPattern), ['conditions.pattern']);
    assert.match(badPattern.body.error.details.fields[0].message, /regular expression/);

    // RE2 runs every pattern in linear time, so it cannot run lookaround or backreferences.
    const lookahead = await api.post('/api/v1/alert-rules', {
      name: 'Lookahead',
      conditions: { pattern: 'disk(?!ok)' },
      actions,
    });
    assert.equal(lookahead.status, 400);
    assert.deepEqual(errorFields(lookahead), ['conditions.pattern']);
    assert.match(lookahead.body.error.details.fields[0].message, /RE2/);

    const longPattern = await api.post('/api/v1/alert-rules', {
      name: 'Long regex',
      conditions: { pattern: 'a'.repeat(501) },
      actions,
    });
    assert.deepEqual(errorFields(longPattern), ['conditions.pattern']);

    const foreign = await api.post('/api/v1/alert-rules', {
      name: 'Foreign client',
      conditions: { clientIds: [foreignClient.id, 'nope'] },
      actions,
    });
    assert.equal(foreign.status, 400);
    assert.deepEqual(errorFields(foreign), ['conditions.clientIds']);

    const shape = await api.post('/api/v1/alert-rules', {
      name: '',
      conditions: { severities: ['loud'] },
      actions: { createTicket: 'yes', priority: 'whenever' },
      extra: 1,
    });
    assert.equal(shape.status, 400);
    assert.deepEqual(
      new Set(errorFields(shape)),
      new Set(['name', 'conditions.severities.0', 'actions.createTicket', 'actions.priority', 'body']),
    );

    const missingActions = await api.post('/api/v1/alert-rules', { name: 'No actions' });
    assert.deepEqual(errorFields(missingActions), ['actions']);

    assert.deepEqual((await api.get('/api/v1/alert-rules')).body.items, []);

    const rule = (await api.post('/api/v1/alert-rules', { name: 'Good', actions })).body;
    const badUpdate = await api.put(`/api/v1/alert-rules/${rule.id}`, {
      name: 'Good',
      conditions: { pattern: '[' },
      actions,
    });
    assert.deepEqual(errorFields(badUpdate), ['conditions.pattern']);
    assert.deepEqual((await api.get(`/api/v1/alert-rules/${rule.id}`)).body, rule);
  });

  it('reorders rules when given exactly their ids', async () => {
    const ids: string[] = [];
    for (const name of ['A', 'B', 'C']) ids.push((await api.post('/api/v1/alert-rules', { name, actions })).body.id);
    const [a, b, c] = ids as [string, string, string];

    const reordered = await api.post('/api/v1/alert-rules/reorder', { ids: [c, a, b] });
    assert.equal(reordered.status, 200);
    assert.deepEqual(
      reordered.body.items.map((r: { name: string; position: number }) => [r.name, r.position]),
      [
        ['C', 0],
        ['A', 1],
        ['B', 2],
      ],
    );
    assert.deepEqual(
      (await api.get('/api/v1/alert-rules')).body.items.map((r: { name: string }) => r.name),
      ['C', 'A', 'B'],
    );

    for (const bad of [
      [c, a],
      [c, a, b, b],
      [c, a, randomUUID()],
      [c, a, b, randomUUID()],
    ]) {
      const response = await api.post('/api/v1/alert-rules/reorder', { ids: bad });
      assert.equal(response.status, 400, JSON.stringify(bad));
      assert.deepEqual(errorFields(response), ['ids']);
    }
    assert.deepEqual(
      (await api.get('/api/v1/alert-rules')).body.items.map((r: { name: string }) => r.name),
      ['C', 'A', 'B'],
    );

    // Another tenant's rule id cannot be slipped into the order.
    const other = apiAs(env.apiUrl, (await env.createTenant()).token);
    const theirs = (await other.post('/api/v1/alert-rules', { name: 'Theirs', actions })).body;
    assert.equal((await api.post('/api/v1/alert-rules/reorder', { ids: [c, a, theirs.id] })).status, 400);
  });

  it("hides another tenant's rules (404) and answers 404 for ids that are not UUIDs", async () => {
    const other = apiAs(env.apiUrl, (await env.createTenant()).token);
    const theirs = (await other.post('/api/v1/alert-rules', { name: 'Theirs', actions })).body;
    for (const response of [
      await api.get(`/api/v1/alert-rules/${theirs.id}`),
      await api.put(`/api/v1/alert-rules/${theirs.id}`, { name: 'Mine now', actions }),
      await api.delete(`/api/v1/alert-rules/${theirs.id}`),
      await api.get('/api/v1/alert-rules/not-a-uuid'),
      await api.delete('/api/v1/alert-rules/123'),
    ]) {
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'not_found');
    }
    assert.deepEqual((await api.get('/api/v1/alert-rules')).body.items, []);
    assert.equal((await other.get(`/api/v1/alert-rules/${theirs.id}`)).body.name, 'Theirs');
  });

  it('requires a token and documents the endpoints', async () => {
    assert.equal((await call(env.apiUrl, 'GET', '/api/v1/alert-rules')).status, 401);
    const doc = (await call(env.apiUrl, 'GET', '/api/v1/openapi.json')).body;
    assert.deepEqual(doc.paths['/api/v1/alert-rules'].post.requestBody.content['application/json'].schema.required, [
      'name',
      'actions',
    ]);
    assert.ok(doc.paths['/api/v1/alert-rules/reorder'].post);
    assert.ok(doc.paths['/api/v1/alert-rules/{id}'].put);
    assert.ok(doc.paths['/api/v1/maintenance-windows/{id}'].delete);
    assert.ok(doc.paths['/api/v1/tickets/{id}'].patch);
    assert.ok(doc.paths['/api/v1/alerts'].get);
  });
});
