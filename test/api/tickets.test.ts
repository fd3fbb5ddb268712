// Tickets and alerts over HTTP: listing and filters, notes, the person's status changes, the
// close hook, and tenant isolation. Tickets and alerts are written the way the alert lifecycle
// writes them (db/ticket-store.ts, the EntityManager).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import { requireTenant } from '../../api/middleware/auth';
import { errorHandler } from '../../api/middleware/error-handler';
import { jsonBody } from '../../api/middleware/json-body';
import { requestContext } from '../../api/middleware/request-context';
import { API_PREFIX } from '../../api/app';
import { OpenApiRegistry } from '../../api/openapi';
import { ticketRoutes, type OnTicketClosed } from '../../api/routes/tickets';
import { AlertSchema, type Alert, type Ticket } from '../../db/entities';
import { conditionKeyFor, openOrAppendTicket } from '../../db/ticket-store';
import { apiAs, errorFields, serveApp } from '../support/http';
import { tenantApiPerTest, type TestEnv } from '../support/test-env';

type Api = ReturnType<typeof apiAs>;

describe('API tickets and alerts', function () {
  this.timeout(120_000);
  let env: TestEnv;
  let api: Api;
  let tenantId: string;
  tenantApiPerTest((tenant) => ({ env, api, tenantId } = tenant));

  async function openTicket(
    options: { device?: string; alertName?: string; clientId?: string | null; tenant?: string } = {},
  ): Promise<Ticket> {
    const device = options.device ?? 'dev-1';
    const alertName = options.alertName ?? 'Disk space low';
    const { ticket } = await openOrAppendTicket(env.em(), {
      tenantId: options.tenant ?? tenantId,
      levelDeviceId: device,
      conditionKey: conditionKeyFor(device, alertName),
      alertId: randomUUID(),
      title: `${alertName} on ${device}`,
      description: 'From Level',
      priority: 'high',
      clientId: options.clientId ?? null,
    });
    return ticket;
  }

  describe('tickets', () => {
    it('lists tickets newest first, filtered by status and client', async () => {
      const client = (await api.post('/api/v1/clients', { name: 'Acme' })).body;
      const first = await openTicket({ clientId: client.id });
      const second = await openTicket({ alertName: 'CPU high' });
      await api.patch(`/api/v1/tickets/${second.id}`, { status: 'in_progress' });

      const all = await api.get('/api/v1/tickets');
      assert.equal(all.status, 200);
      assert.deepEqual(
        all.body.items.map((t: { number: number }) => t.number),
        [2, 1],
      );
      const view = all.body.items[1];
      for (const key of [
        'id',
        'number',
        'title',
        'description',
        'priority',
        'status',
        'clientId',
        'assetId',
        'alertIds',
        'occurrences',
        'createdAt',
        'closedAt',
      ])
        assert.ok(key in view, key);
      assert.equal(view.id, first.id);
      assert.equal(view.title, 'Disk space low on dev-1');
      assert.equal(view.priority, 'high');
      assert.equal(view.status, 'open');
      assert.equal(view.clientId, client.id);
      assert.equal(view.assetId, null);
      assert.deepEqual(view.alertIds, first.alertIds);
      assert.equal(view.occurrences, 1);
      assert.equal(view.closedAt, null);
      assert.equal(new Date(view.createdAt).toISOString(), view.createdAt);
      assert.equal(view.notes, undefined);

      assert.deepEqual(
        (await api.get('/api/v1/tickets?status=in_progress')).body.items.map((t: { id: string }) => t.id),
        [second.id],
      );
      assert.deepEqual((await api.get('/api/v1/tickets?status=closed')).body.items, []);
      assert.deepEqual(
        (await api.get(`/api/v1/tickets?clientId=${client.id}`)).body.items.map((t: { id: string }) => t.id),
        [first.id],
      );
      assert.deepEqual((await api.get(`/api/v1/tickets?clientId=${client.id}&status=in_progress`)).body.items, []);

      const badStatus = await api.get('/api/v1/tickets?status=done');
      assert.equal(badStatus.status, 400);
      assert.deepEqual(errorFields(badStatus), ['status']);
      assert.deepEqual(errorFields(await api.get('/api/v1/tickets?clientId=acme')), ['clientId']);
    });

    it('adds human notes and status changes, which mark the ticket as touched', async () => {
      const ticket = await openTicket();
      await openOrAppendTicket(env.em(), {
        tenantId,
        levelDeviceId: 'dev-1',
        conditionKey: ticket.conditionKey,
        alertId: randomUUID(),
        title: 'x',
        description: 'x',
        priority: 'high',
      });

      const noted = await api.patch(`/api/v1/tickets/${ticket.id}`, { note: '  Rebooted the server  ' });
      assert.equal(noted.status, 200);
      assert.equal(noted.body.status, 'open');
      assert.equal(noted.body.touchedByHuman, true);
      assert.equal(noted.body.occurrences, 2);
      assert.deepEqual(
        noted.body.notes.map((n: { author: string }) => n.author),
        ['system', 'human'],
      );
      assert.equal(noted.body.notes[1].body, 'Rebooted the server');

      const progress = await api.patch(`/api/v1/tickets/${ticket.id}`, { status: 'in_progress' });
      assert.equal(progress.body.status, 'in_progress');
      assert.equal(progress.body.closedAt, null);

      const closed = await api.patch(`/api/v1/tickets/${ticket.id}`, { status: 'closed', note: 'Fixed' });
      assert.equal(closed.status, 200);
      assert.equal(closed.body.status, 'closed');
      assert.ok(closed.body.closedAt);
      assert.deepEqual(closed.body.notes.map((n: { body: string }) => n.body).slice(1), [
        'Rebooted the server',
        'Fixed',
      ]);

      const read = await api.get(`/api/v1/tickets/${ticket.id}`);
      assert.equal(read.status, 200);
      assert.equal(read.body.status, 'closed');
      assert.equal(read.body.closedAt, closed.body.closedAt);
      assert.equal(read.body.notes.length, 3);
      for (const note of read.body.notes)
        assert.deepEqual(Object.keys(note).sort(), ['author', 'body', 'createdAt', 'id']);

      // Reopening clears closedAt.
      const reopened = await api.patch(`/api/v1/tickets/${ticket.id}`, { status: 'open' });
      assert.equal(reopened.body.status, 'open');
      assert.equal(reopened.body.closedAt, null);
    });

    it('keeps an untouched ticket untouched when nothing changes', async () => {
      const ticket = await openTicket();
      const same = await api.patch(`/api/v1/tickets/${ticket.id}`, { status: 'open' });
      assert.equal(same.status, 200);
      assert.equal(same.body.touchedByHuman, false);
    });

    it('rejects bad patches with 400 and changes nothing', async () => {
      const ticket = await openTicket();
      const cases: Array<[unknown, string[]]> = [
        [{}, ['body']],
        [{ status: 'resolved' }, ['status']],
        [{ note: '   ' }, ['note']],
        [{ note: 'x', assignee: 'me' }, ['body']],
      ];
      for (const [body, expected] of cases) {
        const response = await api.patch(`/api/v1/tickets/${ticket.id}`, body);
        assert.equal(response.status, 400, JSON.stringify(body));
        assert.equal(response.body.error.code, 'invalid_request');
        assert.deepEqual(errorFields(response), expected, JSON.stringify(body));
      }
      const read = (await api.get(`/api/v1/tickets/${ticket.id}`)).body;
      assert.equal(read.status, 'open');
      assert.equal(read.touchedByHuman, false);
      assert.deepEqual(read.notes, []);
    });

    it('answers 409 when reopening would make a second open ticket for the same condition', async () => {
      const old = await openTicket();
      await api.patch(`/api/v1/tickets/${old.id}`, { status: 'closed' });
      const current = await openTicket();
      assert.notEqual(current.id, old.id);
      const response = await api.patch(`/api/v1/tickets/${old.id}`, { status: 'open', note: 'reopen' });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'conflict');
      const read = (await api.get(`/api/v1/tickets/${old.id}`)).body;
      assert.equal(read.status, 'closed');
      assert.deepEqual(read.notes, []);
    });

    it("hides another tenant's tickets (404) and answers 404 for ids that are not UUIDs", async () => {
      const other = await env.createTenant();
      const theirs = await openTicket({ tenant: other.tenantId });
      for (const response of [
        await api.get(`/api/v1/tickets/${theirs.id}`),
        await api.patch(`/api/v1/tickets/${theirs.id}`, { status: 'closed' }),
        await api.get('/api/v1/tickets/42'),
        await api.patch('/api/v1/tickets/nope', { note: 'x' }),
      ]) {
        assert.equal(response.status, 404);
        assert.equal(response.body.error.code, 'not_found');
      }
      assert.deepEqual((await api.get('/api/v1/tickets')).body.items, []);
      const theirView = (await apiAs(env.apiUrl, other.token).get(`/api/v1/tickets/${theirs.id}`)).body;
      assert.equal(theirView.status, 'open');
      assert.deepEqual(theirView.notes, []);
    });

    it('tells the onTicketClosed hook when a person closes a ticket', async () => {
      // The routes alone, with a recording hook (createApp wires the real one).
      const closedTickets: string[] = [];
      const onTicketClosed: OnTicketClosed = (ticket) => {
        closedTickets.push(`${ticket.id}:${ticket.status}`);
      };
      const app = new Koa();
      app.use(errorHandler(env.logger));
      app.use(requestContext(env.orm));
      app.use(jsonBody);
      const admin = new Router({ prefix: API_PREFIX });
      admin.use(requireTenant(env.orm));
      admin.use(
        ticketRoutes(
          { ...env.services, logger: env.logger, config: env.config, onTicketClosed },
          new OpenApiRegistry(),
        ).routes(),
      );
      app.use(admin.routes());
      const served = await serveApp(app);
      try {
        const hooked = apiAs(served.url, (await env.createTenant()).token);
        const tenant = await env.createTenant();
        const routes = apiAs(served.url, tenant.token);
        const ticket = await openTicket({ tenant: tenant.tenantId });
        assert.equal((await hooked.patch(`/api/v1/tickets/${ticket.id}`, { status: 'closed' })).status, 404);
        await routes.patch(`/api/v1/tickets/${ticket.id}`, { note: 'no close yet' });
        await routes.patch(`/api/v1/tickets/${ticket.id}`, { status: 'in_progress' });
        assert.deepEqual(closedTickets, []);
        assert.equal((await routes.patch(`/api/v1/tickets/${ticket.id}`, { status: 'closed' })).status, 200);
        assert.deepEqual(closedTickets, [`${ticket.id}:closed`]);
      } finally {
        await served.close();
      }
    });
  });

  describe('alerts', () => {
    /** What an inserted alert is unless a test says otherwise (and what the API then answers). */
    const ALERT_DEFAULTS = {
      levelDeviceId: 'dev-1',
      assetId: null,
      clientId: null,
      name: 'Disk space low',
      description: 'C: is 91% full',
      severity: 'warning',
      status: 'active',
    } as const;

    async function insertAlert(overrides: Partial<Alert> & { levelAlertId: string }): Promise<Alert> {
      const em = env.em();
      const now = new Date();
      const alert = em.create(AlertSchema, {
        id: randomUUID(),
        tenantId,
        integrationId: null,
        ...ALERT_DEFAULTS,
        startedAt: now,
        resolvedAt: null,
        ticketId: null,
        matchedRuleId: null,
        suppressedByWindowId: null,
        conditionKey: conditionKeyFor('dev-1', 'Disk space low'),
        raw: { id: overrides.levelAlertId },
        createdAt: now,
        updatedAt: now,
        ...overrides,
      });
      await em.flush();
      return alert;
    }

    it('lists alerts with the contract fields, newest first, filtered by status', async () => {
      const ticket = await openTicket();
      const active = await insertAlert({
        levelAlertId: 'lvl-1',
        startedAt: new Date('2026-11-01T10:00:00Z'),
        ticketId: ticket.id,
      });
      const resolved = await insertAlert({
        levelAlertId: 'lvl-2',
        status: 'resolved',
        startedAt: new Date('2026-11-02T10:00:00Z'),
        resolvedAt: new Date('2026-11-02T11:00:00Z'),
      });
      const suppressed = await insertAlert({
        levelAlertId: 'lvl-3',
        status: 'suppressed',
        severity: 'critical',
        startedAt: new Date('2026-11-03T10:00:00Z'),
      });
      const other = await env.createTenant();
      await insertAlert({ levelAlertId: 'lvl-1', tenantId: other.tenantId });

      const all = await api.get('/api/v1/alerts');
      assert.equal(all.status, 200);
      assert.deepEqual(
        all.body.items.map((a: { id: string }) => a.id),
        [suppressed.id, resolved.id, active.id],
      );
      const view = all.body.items[2];
      assert.deepEqual(
        Object.fromEntries(
          [
            'id',
            'levelAlertId',
            'levelDeviceId',
            'assetId',
            'clientId',
            'name',
            'description',
            'severity',
            'status',
            'startedAt',
            'resolvedAt',
            'ticketId',
            'matchedRuleId',
            'suppressedByWindowId',
          ].map((k) => [k, view[k]]),
        ),
        {
          id: active.id,
          levelAlertId: 'lvl-1',
          ...ALERT_DEFAULTS,
          startedAt: '2026-11-01T10:00:00.000Z',
          resolvedAt: null,
          ticketId: ticket.id,
          matchedRuleId: null,
          suppressedByWindowId: null,
        },
      );
      assert.equal(all.body.items[1].resolvedAt, '2026-11-02T11:00:00.000Z');

      for (const [status, expected] of [
        ['active', active.id],
        ['resolved', resolved.id],
        ['suppressed', suppressed.id],
      ] as const) {
        assert.deepEqual(
          (await api.get(`/api/v1/alerts?status=${status}`)).body.items.map((a: { id: string }) => a.id),
          [expected],
        );
      }
      const bad = await api.get('/api/v1/alerts?status=open');
      assert.equal(bad.status, 400);
      assert.deepEqual(errorFields(bad), ['status']);
    });
  });
});
