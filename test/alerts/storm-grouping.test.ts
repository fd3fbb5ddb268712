// Storm grouping against the real services and the simulator: the alert settings API and its
// validation; 50 alerts of one client delivered concurrently through two API processes → one
// storm ticket, the tickets opened before the threshold linked and closed, every alert on the
// parent, the parent closed when all 50 resolve; storm grouping off → a ticket each, no storm run;
// groupBy client_condition → a storm per condition.
import assert from 'node:assert/strict';
import { WorkflowNotFoundError } from '@temporalio/client';
import { createApp } from '../../api/app';
import { alertWorkflowId } from '../../contracts/alerts';
import { stormWorkflowId } from '../../contracts/storm';
import { AlertSchema, TicketNoteSchema, TicketSchema } from '../../db/entities';
import { Fleet, startLevelSimulator, type LevelSimulator } from '../../simulator';
import { registry } from '../../metrics/registry';
import { currentDetails } from '../support/history';
import { allItems, call, serveApp, type ServedApp } from '../support/http';
import { replayAndRecord } from '../support/replay-fixtures';
import { getTestEnv, type TestEnv } from '../support/test-env';
import { ACME_GROUP, alertFleet, alertTenant, BASE, templateBody, waitFor, type AlertTenant } from './fixture';

const DEVICES = 50;
const deviceId = (i: number) => `st/dev+${i}`;

/** The alert suites' fleet, plus 50 devices in Acme's Servers group. */
function stormFleet(): Fleet {
  const fleet = alertFleet();
  for (let i = 0; i < DEVICES; i += 1) fleet.addDevice({ id: deviceId(i), hostname: `ACME-WS-${i}`, groupId: 'sr/v+' });
  return fleet;
}

describe('Alert storm grouping', function () {
  this.timeout(180_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let second: ServedApp;

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: stormFleet() });
    // A second API process's app on the same services: deliveries go through both at once.
    second = await serveApp(createApp({ ...env.services, logger: env.logger, config: env.config }));
  });

  after(async () => {
    await second.close();
    await simulator.close();
  });

  /** A tenant with Acme mapped and its devices synced (so routing needs no Level lookups). */
  async function stormTenant(): Promise<AlertTenant> {
    const t = await alertTenant(env, simulator);
    assert.equal(ACME_GROUP, 'a/cme+1');
    const synced = await t.api.post(`${BASE}/device-sync?wait=true`);
    assert.equal(synced.body.status, 'completed', JSON.stringify(synced.body));
    return t;
  }

  async function stormSettings(t: AlertTenant, storm: Record<string, unknown>) {
    const saved = await t.api.put('/api/v1/alert-settings', { storm });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    return saved.body;
  }

  /** POSTs each body to the receiver, alternating between the two API processes, all at once. */
  async function deliverConcurrently(t: AlertTenant, bodies: Array<Record<string, unknown>>) {
    const answers = await Promise.all(
      bodies.map((body, i) =>
        call(i % 2 === 0 ? env.apiUrl : second.url, 'POST', `/webhooks/level/${t.webhookId}`, {
          rawBody: JSON.stringify(body),
          headers: { 'content-type': 'application/json', 'x-alga-webhook-secret': t.secret },
        }),
      ),
    );
    for (const answer of answers) assert.equal(answer.status, 202, JSON.stringify(answer.body));
  }

  const triggers = (name: string, devices: number[], startedAt = new Date(Date.now() - 1_000).toISOString()) =>
    devices.map((i) =>
      templateBody({ device_id: deviceId(i), hostname: `ACME-WS-${i}`, name, occurred_at: startedAt }),
    );

  const alertsOf = (t: AlertTenant, bodies: Array<Record<string, unknown>>) =>
    env
      .em()
      .find(AlertSchema, { tenantId: t.tenantId, levelAlertId: { $in: bodies.map((b) => b.alert_id as string) } });

  /** Waits until every alert of `bodies` has a ticket; the rows then. */
  const allTicketed = (t: AlertTenant, bodies: Array<Record<string, unknown>>) =>
    waitFor(
      'every alert ticketed',
      async () => {
        const rows = await alertsOf(t, bodies);
        return rows.length === bodies.length && rows.every((row) => row.ticketId) ? rows : null;
      },
      90_000,
    );

  function routingCount(outcome: string): Promise<number> {
    const counter = registry.getSingleMetric('levelsync_alert_routings_total');
    assert.ok(counter, 'the routings counter is registered');
    return Promise.resolve(counter.get()).then(
      (metric) => metric.values.find((value) => value.labels.outcome === outcome)?.value ?? 0,
    );
  }

  describe('settings (GET|PUT /api/v1/alert-settings)', () => {
    it('is off by default, keeps what is saved, and refuses values out of range with the field named', async () => {
      const t = await alertTenant(env, simulator);
      const initial = await t.api.get('/api/v1/alert-settings');
      assert.equal(initial.status, 200);
      assert.deepEqual(initial.body, { storm: { enabled: false, threshold: 10, windowMinutes: 5, groupBy: 'client' } });

      const saved = await stormSettings(t, {
        enabled: true,
        threshold: 25,
        windowMinutes: 15,
        groupBy: 'client_condition',
      });
      assert.deepEqual(saved, {
        storm: { enabled: true, threshold: 25, windowMinutes: 15, groupBy: 'client_condition' },
      });
      // Fields left out keep their stored values.
      assert.deepEqual(await stormSettings(t, { enabled: false }), {
        storm: { enabled: false, threshold: 25, windowMinutes: 15, groupBy: 'client_condition' },
      });

      for (const [storm, field] of [
        [{ enabled: true, threshold: 1 }, 'storm.threshold'],
        [{ enabled: true, threshold: 1001 }, 'storm.threshold'],
        [{ enabled: true, threshold: 2.5 }, 'storm.threshold'],
        [{ enabled: true, windowMinutes: 0 }, 'storm.windowMinutes'],
        [{ enabled: true, windowMinutes: 121 }, 'storm.windowMinutes'],
        [{ enabled: true, groupBy: 'site' }, 'storm.groupBy'],
        [{ enabled: 'yes' }, 'storm.enabled'],
      ] as const) {
        const refused = await t.api.put('/api/v1/alert-settings', { storm });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.equal(refused.body.error.code, 'invalid_request');
        assert.deepEqual(
          refused.body.error.details.fields.map((f: { field: string }) => f.field),
          [field],
          JSON.stringify(refused.body),
        );
      }
      assert.equal(
        (await t.api.put('/api/v1/alert-settings', { storm: { enabled: true }, other: 1 })).status,
        400,
        'unknown fields are refused',
      );
      assert.equal((await t.api.put('/api/v1/alert-settings', {})).status, 400);
      // The limits themselves are accepted; nothing refused was stored.
      assert.deepEqual((await stormSettings(t, { enabled: true, threshold: 2, windowMinutes: 1 })).storm, {
        enabled: true,
        threshold: 2,
        windowMinutes: 1,
        groupBy: 'client_condition',
      });
      assert.deepEqual(
        (await stormSettings(t, { enabled: true, threshold: 1000, windowMinutes: 120, groupBy: 'client' })).storm,
        { enabled: true, threshold: 1000, windowMinutes: 120, groupBy: 'client' },
      );
      // Per tenant.
      const other = await alertTenant(env, simulator);
      assert.equal((await other.api.get('/api/v1/alert-settings')).body.storm.enabled, false);
    });
  });

  it('groups 50 alerts of one client, delivered at once through two API processes, into exactly one storm ticket; all 50 resolved close it', async () => {
    const t = await stormTenant();
    await stormSettings(t, { enabled: true, threshold: 10, windowMinutes: 5, groupBy: 'client' });
    const stormBefore = await routingCount('storm');
    const bodies = triggers(
      'Disk space low',
      Array.from({ length: DEVICES }, (_, i) => i),
    );
    await deliverConcurrently(t, bodies);
    const rows = await allTicketed(t, bodies);

    const tickets = await env.em().find(TicketSchema, { tenantId: t.tenantId }, { orderBy: { number: 'asc' } });
    const parents = tickets.filter((ticket) => ticket.kind === 'storm');
    assert.equal(parents.length, 1, 'exactly one storm ticket');
    const parent = parents[0]!;
    assert.equal(parent.status, 'open');
    assert.equal(parent.clientId, t.clientId);
    assert.ok(
      rows.every((row) => row.ticketId === parent.id),
      "every alert's ticket is the storm ticket",
    );
    assert.deepEqual(new Set(parent.alertIds), new Set(rows.map((row) => row.id)));
    assert.equal(parent.alertIds.length, DEVICES);
    assert.equal(parent.occurrences, DEVICES);
    assert.match(parent.title, new RegExp(`^Storm: Disk space low on Acme [0-9a-f]{4} — ${DEVICES} devices$`));

    // The threshold was reached by the 10th arrival: the 9 before it had opened tickets of their
    // own, now linked to the parent and closed with a note. No other ticket is open.
    const own = tickets.filter((ticket) => ticket.kind === 'alert');
    assert.equal(own.length, 9, own.map((ticket) => ticket.title).join(', '));
    for (const ticket of own) {
      assert.equal(ticket.status, 'closed');
      assert.equal(ticket.parentTicketId, parent.id);
      const notes = await env.em().find(TicketNoteSchema, { ticketId: ticket.id });
      assert.ok(
        notes.some(
          (note) =>
            note.body ===
            `Grouped into storm ticket #${parent.number}: its alerts continue there. This ticket was closed.`,
        ),
        JSON.stringify(notes.map((n) => n.body)),
      );
    }
    assert.equal(
      (await routingCount('storm')) - stormBefore,
      DEVICES - 9,
      'the alerts attached to the storm count as storm',
    );

    // The API shows the storm: kind, children, and the links.
    const viewed = (await t.api.get(`/api/v1/tickets/${parent.id}`)).body;
    assert.equal(viewed.kind, 'storm');
    assert.equal(viewed.parentTicketId, null);
    assert.equal(viewed.childAlertIds.length, DEVICES);
    // The alerts list filters by ticket: the storm's alerts, the same ones, in pages.
    const onStorm = await allItems<{ id: string }>(t.api, `/api/v1/alerts?ticketId=${parent.id}`, 20);
    assert.deepEqual(onStorm.map((alert) => alert.id).sort(), [...viewed.childAlertIds].sort());
    assert.equal((await t.api.get(`/api/v1/alerts?ticketId=${own[0]!.id}`)).body.items.length, 0, 'moved off');
    assert.equal((await t.api.get('/api/v1/alerts?ticketId=not-a-uuid')).status, 400);
    // The tickets list filters by kind and by storm ticket.
    const ids = async (query: string) =>
      ((await t.api.get(`/api/v1/tickets?${query}`)).body.items as Array<{ id: string }>).map((ticket) => ticket.id);
    assert.deepEqual(await ids('kind=storm'), [parent.id]);
    assert.ok(!(await ids('kind=alert')).includes(parent.id));
    assert.deepEqual((await ids(`parentTicketId=${parent.id}`)).sort(), own.map((ticket) => ticket.id).sort());
    assert.equal((await t.api.get('/api/v1/tickets?kind=incident')).status, 400);
    const linked = (await t.api.get(`/api/v1/tickets/${own[0]!.id}`)).body;
    assert.equal(linked.kind, 'alert');
    assert.equal(linked.parentTicketId, parent.id);
    assert.equal(linked.childAlertIds, undefined);

    // The alert runs said they handed their alert to the storm run; the storm run says what it did.
    const alertRun = env.temporalClient.workflow.getHandle(alertWorkflowId(t.tenantId, bodies[0]!.alert_id as string));
    const stormRunId = stormWorkflowId(t.tenantId, { clientId: t.clientId, condition: null });
    const grouping = await currentDetails(alertRun);
    assert.match(grouping, /^Grouping: sent to the storm run of its client/);
    assert.ok(grouping.endsWith(`that run (${stormRunId}) says which`), grouping);
    const stormRun = env.temporalClient.workflow.getHandle(stormRunId);
    await waitFor('the storm run shows the storm', async () =>
      (await currentDetails(stormRun)).startsWith(`Storm ticket #${parent.number} open`),
    );
    await replayAndRecord(stormRun, 'stormGrouping');
    await replayAndRecord(alertRun, 'alertLifecycle-grouping');

    // All 50 resolve (through both APIs at once): the last one closes the untouched storm ticket.
    await deliverConcurrently(
      t,
      bodies.map((body) => ({ ...body, event: 'alert.resolved', occurred_at: new Date().toISOString() })),
    );
    await waitFor(
      'the storm ticket closed',
      async () => (await env.em().findOne(TicketSchema, { id: parent.id }))?.status === 'closed',
      60_000,
    );
    const resolved = await alertsOf(t, bodies);
    assert.ok(resolved.every((row) => row.status === 'resolved'));
    const closeNotes = (await env.em().find(TicketNoteSchema, { ticketId: parent.id })).filter((note) =>
      /the ticket was closed automatically/.test(note.body),
    );
    assert.equal(closeNotes.length, 1);
  });

  it('opens a ticket per alert when storm grouping is off (the default), and starts no storm run', async () => {
    const t = await stormTenant();
    const bodies = triggers(
      'Disk space low',
      Array.from({ length: DEVICES }, (_, i) => i),
    );
    await deliverConcurrently(t, bodies);
    const rows = await allTicketed(t, bodies);
    const tickets = await env.em().find(TicketSchema, { tenantId: t.tenantId });
    assert.equal(tickets.length, DEVICES);
    assert.ok(
      tickets.every((ticket) => ticket.kind === 'alert' && ticket.status === 'open' && ticket.parentTicketId === null),
    );
    assert.equal(new Set(rows.map((row) => row.ticketId)).size, DEVICES);
    await assert.rejects(
      env.temporalClient.workflow
        .getHandle(stormWorkflowId(t.tenantId, { clientId: t.clientId, condition: null }))
        .describe(),
      WorkflowNotFoundError,
    );
  });

  it('groupBy client_condition counts each condition on its own', async () => {
    const t = await stormTenant();
    await stormSettings(t, { enabled: true, threshold: 3, windowMinutes: 5, groupBy: 'client_condition' });
    const disk = triggers('Disk space low', [0, 1, 2, 3]);
    const cpu = triggers('CPU high', [4, 5]);
    await deliverConcurrently(t, [...disk, ...cpu]);
    const diskRows = await allTicketed(t, disk);
    const cpuRows = await allTicketed(t, cpu);
    // The disk storm's tickets settle with its 4th alert attached.
    const parent = await waitFor('the disk storm with its 4 alerts', async () => {
      const found = await env.em().findOne(TicketSchema, { tenantId: t.tenantId, kind: 'storm' });
      return found && found.alertIds.length === 4 ? found : null;
    });
    assert.equal(
      (await env.em().find(TicketSchema, { tenantId: t.tenantId, kind: 'storm' })).length,
      1,
      'one storm: CPU high stayed below its threshold',
    );
    assert.match(parent.title, /^Storm: Disk space low on Acme [0-9a-f]{4} — 4 devices$/);
    assert.ok((await alertsOf(t, disk)).every((row) => row.ticketId === parent.id));
    assert.equal(diskRows.length, 4);
    const cpuTickets = await env.em().find(TicketSchema, { id: { $in: cpuRows.map((row) => row.ticketId!) } });
    assert.equal(cpuTickets.length, 2);
    assert.ok(
      cpuTickets.every(
        (ticket) => ticket.kind === 'alert' && ticket.status === 'open' && ticket.parentTicketId === null,
      ),
    );
    const diskOwn = await env
      .em()
      .find(TicketSchema, { tenantId: t.tenantId, kind: 'alert', parentTicketId: parent.id });
    assert.equal(diskOwn.length, 2, 'the two disk alerts before the threshold had tickets, now grouped');
    assert.ok(diskOwn.every((ticket) => ticket.status === 'closed'));
    // One run per condition.
    await env.temporalClient.workflow
      .getHandle(stormWorkflowId(t.tenantId, { clientId: t.clientId, condition: 'disk space low' }))
      .describe();
    await env.temporalClient.workflow
      .getHandle(stormWorkflowId(t.tenantId, { clientId: t.clientId, condition: 'cpu high' }))
      .describe();

    // A person worked on the storm ticket: its alerts resolving leave it open, with a note.
    assert.equal(
      (await t.api.patch(`/api/v1/tickets/${parent.id}`, { note: 'Switch in rack 2 rebooted' })).status,
      200,
    );
    await deliverConcurrently(
      t,
      disk.map((body) => ({ ...body, event: 'alert.resolved', occurred_at: new Date().toISOString() })),
    );
    await waitFor('the resolves noted', async () =>
      (await alertsOf(t, disk)).every((row) => row.status === 'resolved'),
    );
    await waitFor('the last resolve noted on the storm ticket', async () =>
      (await env.em().find(TicketNoteSchema, { ticketId: parent.id })).some((note) =>
        /stays open because a person has worked on it/.test(note.body),
      ),
    );
    assert.equal((await env.em().findOne(TicketSchema, { id: parent.id }))?.status, 'open');

    // The person closes it: the storm is over, and counting starts afresh — two more disk alerts
    // are below the threshold again (tickets of their own), a third opens a new storm.
    assert.equal((await t.api.patch(`/api/v1/tickets/${parent.id}`, { status: 'closed' })).status, 200);
    const again = triggers('Disk space low', [6, 7]);
    await deliverConcurrently(t, again);
    const againRows = await allTicketed(t, again);
    const againTickets = await env.em().find(TicketSchema, { id: { $in: againRows.map((row) => row.ticketId!) } });
    assert.ok(
      againTickets.every((ticket) => ticket.kind === 'alert' && ticket.status === 'open'),
      'below the threshold: tickets of their own',
    );
    const third = triggers('Disk space low', [8]);
    await deliverConcurrently(t, third);
    const secondStorm = await waitFor('a second storm ticket', async () =>
      env.em().findOne(TicketSchema, { tenantId: t.tenantId, kind: 'storm', status: 'open' }),
    );
    assert.notEqual(secondStorm.id, parent.id);
    const grouped = await waitFor('all three on the new storm ticket', async () => {
      const rows = await alertsOf(t, [...again, ...third]);
      return rows.length === 3 && rows.every((row) => row.ticketId === secondStorm.id) ? rows : null;
    });
    assert.equal(grouped.length, 3);
    assert.ok(
      (await env.em().find(TicketSchema, { id: { $in: againTickets.map((ticket) => ticket.id) } })).every(
        (ticket) => ticket.status === 'closed' && ticket.parentTicketId === secondStorm.id,
      ),
    );
  });
});
