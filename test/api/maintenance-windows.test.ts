// Maintenance windows over HTTP: one-off and weekly windows, schedule validation, scope, isolation.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { apiAs, errorFields } from '../support/http';
import { tenantApiPerTest, type TestEnv } from '../support/test-env';

type Api = ReturnType<typeof apiAs>;

const weekly = { days: [6, 0], startTime: '22:00', endTime: '02:00', timezone: 'Europe/London' };

describe('API maintenance windows', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let api: Api;
  tenantApiPerTest((tenant) => ({ env, api } = tenant));

  it('creates one-off and weekly windows, reads, replaces and deletes them', async () => {
    const client = (await api.post('/api/v1/clients', { name: 'Acme' })).body;
    const oneOff = await api.post('/api/v1/maintenance-windows', {
      name: 'Patch night',
      scope: { clientId: client.id },
      startsAt: '2026-12-01T22:00:00+01:00',
      endsAt: '2026-12-02T02:00:00Z',
    });
    assert.equal(oneOff.status, 201);
    assert.equal(oneOff.body.enabled, true);
    assert.deepEqual(oneOff.body.scope, { clientId: client.id });
    assert.equal(oneOff.body.startsAt, '2026-12-01T21:00:00.000Z');
    assert.equal(oneOff.body.endsAt, '2026-12-02T02:00:00.000Z');
    assert.equal(oneOff.body.recurrence, null);

    const assetId = randomUUID();
    const recurring = await api.post('/api/v1/maintenance-windows', {
      name: 'Weekend backups',
      enabled: false,
      scope: { assetId },
      recurrence: weekly,
    });
    assert.equal(recurring.status, 201);
    assert.deepEqual(recurring.body.scope, { assetId });
    assert.deepEqual(recurring.body.recurrence, { ...weekly, days: [0, 6] });
    assert.equal(recurring.body.startsAt, null);
    assert.equal(recurring.body.enabled, false);

    const everywhere = await api.post('/api/v1/maintenance-windows', {
      name: 'All',
      recurrence: { ...weekly, days: [1] },
    });
    assert.deepEqual(everywhere.body.scope, {});

    assert.deepEqual((await api.get(`/api/v1/maintenance-windows/${oneOff.body.id}`)).body, oneOff.body);
    assert.deepEqual(
      (await api.get('/api/v1/maintenance-windows')).body.items.map((w: { name: string }) => w.name),
      ['Patch night', 'Weekend backups', 'All'],
    );

    // Replacing switches a one-off window to a weekly one (the one-off pair is cleared).
    const replaced = await api.put(`/api/v1/maintenance-windows/${oneOff.body.id}`, {
      ...oneOff.body,
      startsAt: null,
      endsAt: null,
      recurrence: weekly,
      name: 'Now weekly',
    });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.body.name, 'Now weekly');
    assert.equal(replaced.body.startsAt, null);
    assert.equal(replaced.body.endsAt, null);
    assert.deepEqual(replaced.body.recurrence.days, [0, 6]);
    assert.deepEqual(replaced.body.scope, { clientId: client.id });

    assert.equal((await api.delete(`/api/v1/maintenance-windows/${oneOff.body.id}`)).status, 204);
    assert.equal((await api.get(`/api/v1/maintenance-windows/${oneOff.body.id}`)).status, 404);
    assert.equal((await api.get('/api/v1/maintenance-windows')).body.items.length, 2);
  });

  it('reports schedule and scope problems as 400 with the fields and stores nothing', async () => {
    const cases: Array<[unknown, string[]]> = [
      [{ name: 'Backwards', startsAt: '2026-12-02T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' }, ['endsAt']],
      [{ name: 'Half', startsAt: '2026-12-02T00:00:00Z' }, ['endsAt']],
      [{ name: 'Nothing' }, ['startsAt']],
      [
        { name: 'Both', startsAt: '2026-12-01T00:00:00Z', endsAt: '2026-12-02T00:00:00Z', recurrence: weekly },
        ['recurrence'],
      ],
      [{ name: 'Atlantis', recurrence: { ...weekly, timezone: 'Atlantis/Lost' } }, ['recurrence.timezone']],
      [{ name: 'Bad days', recurrence: { ...weekly, days: [7] } }, ['recurrence.days']],
      [{ name: 'Bad time', recurrence: { ...weekly, startTime: '25:00' } }, ['recurrence.startTime']],
      [{ name: 'Not a date', startsAt: 'tomorrow', endsAt: '2026-12-01T00:00:00Z' }, ['startsAt']],
      [{ name: 'Unknown client', scope: { clientId: randomUUID() }, recurrence: weekly }, ['scope.clientId']],
      [{ name: 'Bad client id', scope: { clientId: 'acme' }, recurrence: weekly }, ['scope.clientId']],
      [{ name: 'Bad asset id', scope: { assetId: 'srv-1' }, recurrence: weekly }, ['scope.assetId']],
      [{ name: '', recurrence: weekly, colour: 'red' }, ['name', 'body']],
    ];
    for (const [body, expected] of cases) {
      const response = await api.post('/api/v1/maintenance-windows', body);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(response.body.error.code, 'invalid_request');
      assert.deepEqual(new Set(errorFields(response)), new Set(expected), JSON.stringify(body));
    }
    assert.deepEqual((await api.get('/api/v1/maintenance-windows')).body.items, []);

    const other = apiAs(env.apiUrl, (await env.createTenant()).token);
    const theirClient = (await other.post('/api/v1/clients', { name: 'Theirs' })).body;
    const foreign = await api.post('/api/v1/maintenance-windows', {
      name: 'Foreign',
      scope: { clientId: theirClient.id },
      recurrence: weekly,
    });
    assert.deepEqual(errorFields(foreign), ['scope.clientId']);

    const window = (await api.post('/api/v1/maintenance-windows', { name: 'Good', recurrence: weekly })).body;
    const badUpdate = await api.put(`/api/v1/maintenance-windows/${window.id}`, {
      name: 'Good',
      recurrence: { ...weekly, timezone: 'Mars/Olympus' },
    });
    assert.deepEqual(errorFields(badUpdate), ['recurrence.timezone']);
    assert.deepEqual((await api.get(`/api/v1/maintenance-windows/${window.id}`)).body, window);
  });

  it("hides another tenant's windows (404) and answers 404 for ids that are not UUIDs", async () => {
    const other = apiAs(env.apiUrl, (await env.createTenant()).token);
    const theirs = (await other.post('/api/v1/maintenance-windows', { name: 'Theirs', recurrence: weekly })).body;
    for (const response of [
      await api.get(`/api/v1/maintenance-windows/${theirs.id}`),
      await api.put(`/api/v1/maintenance-windows/${theirs.id}`, { name: 'Mine', recurrence: weekly }),
      await api.delete(`/api/v1/maintenance-windows/${theirs.id}`),
      await api.get('/api/v1/maintenance-windows/xyz'),
    ]) {
      assert.equal(response.status, 404);
      assert.equal(response.body.error.code, 'not_found');
    }
    assert.deepEqual((await api.get('/api/v1/maintenance-windows')).body.items, []);
    assert.equal((await other.get(`/api/v1/maintenance-windows/${theirs.id}`)).body.name, 'Theirs');
  });
});
