// The routing activities on their own, against the real database (and the simulator for the one
// device lookup): what they write, and that an action id routes once even when its activity runs
// twice at the same time (a local activity retried while its first attempt is still running).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AlertSnapshot } from '../../contracts/alerts';
import { createAlertResolutionActivities } from '../../activities/alert-resolution-activities';
import { createAlertRoutingActivities } from '../../activities/alert-routing-activities';
import { AlertSchema, LevelIntegrationSchema, TicketNoteSchema, TicketSchema } from '../../db/entities';
import type { LevelSimulator } from '../../simulator';
import { registry } from '../../metrics/registry';
import { activityDepsOf, getTestEnv, type TestEnv } from '../support/test-env';
import { ACME_DEVICE, ACME_GROUP, alertTenant, startAlertSimulator, type AlertTenant } from './fixture';

describe('Alert routing activities', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;
  let tenant: AlertTenant;
  let integrationId: string;
  let activities: ReturnType<typeof createAlertRoutingActivities> & ReturnType<typeof createAlertResolutionActivities>;

  before(async () => {
    env = await getTestEnv();
    simulator = await startAlertSimulator();
    tenant = await alertTenant(env, simulator);
    integrationId = (await env.em().findOneOrFail(LevelIntegrationSchema, { tenantId: tenant.tenantId })).id;
    const deps = activityDepsOf(env, 6000);
    activities = { ...createAlertRoutingActivities(deps), ...createAlertResolutionActivities(deps) };
  });

  after(async () => {
    await simulator?.close();
  });

  function routing(name: string, overrides: Partial<AlertSnapshot> = {}) {
    const snapshot: AlertSnapshot = {
      levelAlertId: `route/${randomUUID()}`,
      levelDeviceId: ACME_DEVICE,
      name,
      description: 'C: has 2% free',
      severity: 'warning',
      startedAt: new Date().toISOString(),
      resolvedAt: null,
      hostname: 'ACME-SRV-1',
      levelGroupId: 'sr/v+',
      ...overrides,
    };
    return {
      tenantId: tenant.tenantId,
      integrationId,
      levelAlertId: snapshot.levelAlertId,
      snapshot,
      reopened: false,
      actionId: randomUUID(),
    };
  }

  it('asks for the device first, then routes through a rule on an ancestor group of the asset', async () => {
    const rule = await tenant.api.post('/api/v1/alert-rules', {
      name: 'Anything under Acme',
      conditions: { levelGroupIds: [ACME_GROUP] },
      actions: {
        createTicket: true,
        priority: 'urgent',
        titleTemplate: '{{alert}} at {{client}} on {{device}}',
        autoResolveTicket: false,
        resolveAlertOnTicketClose: false,
      },
    });
    assert.equal(rule.status, 201);
    assert.equal(
      (
        await tenant.api.post('/api/v1/alert-rules/reorder', {
          ids: [
            rule.body.id,
            ...(await tenant.api.get('/api/v1/alert-rules')).body.items
              .map((r: { id: string }) => r.id)
              .filter((id: string) => id !== rule.body.id),
          ],
        })
      ).status,
      200,
    );

    const input = routing('Disk space low');
    assert.deepEqual(await activities.routeStoredAlert(input), { outcome: 'needsDevice' });
    assert.equal(
      await env.em().count(AlertSchema, { tenantId: tenant.tenantId, levelAlertId: input.levelAlertId }),
      0,
      'needsDevice writes nothing',
    );

    const device = await activities.lookUpAlertDevice(input);
    assert.ok(device);
    assert.deepEqual(device.groupAncestry, ['sr/v+', ACME_GROUP]);
    assert.equal(device.clientId, tenant.clientId);

    const outcome = await activities.routeStoredAlert({ ...input, device });
    assert.equal(outcome.outcome, 'ticketed');
    if (outcome.outcome !== 'ticketed') return;
    assert.equal(outcome.ruleId, rule.body.id);
    const ticket = await env.em().findOneOrFail(TicketSchema, { id: outcome.ticketId });
    assert.equal(ticket.priority, 'urgent');
    assert.match(ticket.title, /^Disk space low at Acme [0-9a-f]{4} on /);
    assert.equal(ticket.assetId, device.assetId);
    const alert = await env
      .em()
      .findOneOrFail(AlertSchema, { tenantId: tenant.tenantId, levelAlertId: input.levelAlertId });
    assert.deepEqual(
      [alert.status, alert.ticketId, alert.matchedRuleId, alert.assetId, alert.clientId],
      ['active', ticket.id, rule.body.id, device.assetId, tenant.clientId],
    );

    // The asset is stored now: the next alert on the device routes without a lookup.
    const next = await activities.routeStoredAlert(routing('Memory high'));
    assert.equal(next.outcome, 'ticketed');
  });

  it('resolves nothing in Level for a stale close (its ticket open again), and resolves once the ticket is closed', async () => {
    const rule = await tenant.api.post('/api/v1/alert-rules', {
      name: 'Close resolves',
      conditions: { keywords: ['stale-close'] },
      actions: { createTicket: true, priority: 'medium', autoResolveTicket: false, resolveAlertOnTicketClose: true },
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const others = (await tenant.api.get('/api/v1/alert-rules')).body.items.map((r: { id: string }) => r.id);
    const firstRule = await tenant.api.post('/api/v1/alert-rules/reorder', {
      ids: [rule.body.id, ...others.filter((id: string) => id !== rule.body.id)],
    });
    assert.equal(firstRule.status, 200);
    const levelAlert = simulator.fleet.addAlert({
      deviceId: ACME_DEVICE,
      name: 'stale-close check',
      severity: 'warning',
    });
    const input = routing(levelAlert.name, { levelAlertId: levelAlert.id });
    let outcome = await activities.routeStoredAlert(input);
    if (outcome.outcome === 'needsDevice')
      outcome = await activities.routeStoredAlert({ ...input, device: await activities.lookUpAlertDevice(input) });
    assert.equal(outcome.outcome, 'ticketed');
    if (outcome.outcome !== 'ticketed') return;
    const close = { tenantId: tenant.tenantId, integrationId, levelAlertId: levelAlert.id, ticketId: outcome.ticketId };

    // Sent again after the ticket reopened (here: never closed), the close changes nothing.
    assert.deepEqual(await activities.ticketClosedByPerson({ ...close, actionId: randomUUID() }), {
      resolvedInLevel: false,
      reason: 'ticket no longer closed',
    });
    assert.ok(!simulator.stats.resolvedAlertIds.includes(levelAlert.id), 'Level was not asked to resolve it');
    assert.equal((await env.em().findOneOrFail(AlertSchema, { id: outcome.alertId })).status, 'active');

    await env.em().nativeUpdate(TicketSchema, { id: outcome.ticketId }, { status: 'closed', closedAt: new Date() });
    assert.equal((await activities.ticketClosedByPerson({ ...close, actionId: randomUUID() })).resolvedInLevel, true);
    assert.ok(simulator.stats.resolvedAlertIds.includes(levelAlert.id));
    await tenant.api.delete(`/api/v1/alert-rules/${rule.body.id}`);
  });

  it('routes an action id once when its activity runs twice at the same time, or again later', async () => {
    const input = routing('CPU pegged');
    const [a, b] = await Promise.all([activities.routeStoredAlert(input), activities.routeStoredAlert(input)]);
    assert.deepEqual(a, b);
    assert.equal(a.outcome, 'ticketed');
    assert.deepEqual(await activities.routeStoredAlert(input), a);
    const tickets = await env
      .em()
      .find(TicketSchema, { tenantId: tenant.tenantId, conditionKey: { $like: '%cpu pegged' } });
    assert.equal(tickets.length, 1);
    assert.equal(tickets[0]!.occurrences, 1);
    assert.equal(await env.em().count(TicketNoteSchema, { ticketId: tickets[0]!.id }), 0);
  });

  it('appends an occurrence with a note when another alert of the same condition fires, keeping one ticket', async () => {
    const first = await activities.routeStoredAlert(routing('Service stopped'));
    const second = await activities.routeStoredAlert(routing('Service  STOPPED'));
    assert.ok(first.outcome === 'ticketed' && second.outcome === 'ticketed');
    assert.equal(second.ticketId, first.ticketId);
    assert.deepEqual([first.created, second.created], [true, false]);
    const ticket = await env.em().findOneOrFail(TicketSchema, { id: first.ticketId });
    assert.equal(ticket.occurrences, 2);
    assert.deepEqual(ticket.alertIds, [first.alertId, second.alertId]);
    const notes = await env.em().find(TicketNoteSchema, { ticketId: ticket.id });
    assert.equal(notes.length, 1);
    assert.match(notes[0]!.body, /occurrence 2/);
  });

  it('counts a resolve in metrics only once it is committed: a failed commit, then its retry, then a repeat count one', async () => {
    const knex = env.orm.em.getKnex();
    // A commit that fails after the work was done: a deferred trigger refuses the action's row at commit.
    await knex.raw(`create table if not exists test_refused_actions (id text primary key)`);
    await knex.raw(`create or replace function test_refuse_action() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from test_refused_actions where id = new.id) then raise exception 'commit refused (test)'; end if;
        return null;
      end $$`);
    await knex.raw(`drop trigger if exists test_refuse_action on alert_actions`);
    await knex.raw(
      `create constraint trigger test_refuse_action after insert on alert_actions deferrable initially deferred for each row execute function test_refuse_action()`,
    );
    const dampened = async () =>
      (await registry.getSingleMetric('levelsync_alert_routings_total')!.get()).values.find(
        (v) => v.labels.outcome === 'dampened',
      )?.value ?? 0;
    try {
      const { snapshot, levelAlertId } = routing('Flapping link');
      const resolve = {
        tenantId: tenant.tenantId,
        integrationId,
        levelAlertId,
        snapshot,
        resolvedAt: new Date().toISOString(),
        actionId: randomUUID(),
        duringHold: true,
      };
      await knex('test_refused_actions').insert({ id: resolve.actionId });
      const before = await dampened();

      await assert.rejects(activities.resolveAlertRecord(resolve), /commit refused/);
      assert.equal(await dampened(), before, 'nothing counted for a resolve that was rolled back');

      await knex('test_refused_actions').where({ id: resolve.actionId }).delete();
      assert.equal((await activities.resolveAlertRecord(resolve)).dampened, true);
      assert.equal(await dampened(), before + 1, 'the retry that committed counts');
      await activities.resolveAlertRecord(resolve);
      assert.equal(await dampened(), before + 1, 'a repeat of a finished action counts nothing');
    } finally {
      await knex.raw(`drop trigger if exists test_refuse_action on alert_actions`);
      await knex.raw(`drop function if exists test_refuse_action()`);
      await knex.raw(`drop table if exists test_refused_actions`);
    }
  });
});
