import assert from 'node:assert/strict';
import type { AlertRule } from '../../domain/alert-rules';
import { decideRoute, type DeviceContext, type RouteFacts, type TriggeredAlert } from '../../domain/alert-routing';
import type { MaintenanceWindowSpec } from '../../domain/maintenance-windows';

const alert: TriggeredAlert = {
  levelAlertId: 'alert-1',
  levelDeviceId: 'dev-1',
  name: 'Disk space low',
  description: 'C: 4% free',
  severity: 'critical',
  hostname: 'host-1',
  levelGroupId: 'g-reported',
};

const device: DeviceContext = {
  assetId: 'asset-1',
  clientId: 'client-acme',
  levelGroupId: 'g-servers',
  groupAncestry: ['g-servers', 'g-acme'],
  deviceRole: 'server',
  deviceName: 'SRV-01',
  clientName: 'Acme',
};

const ticketRule: AlertRule = {
  id: 'rule-ticket',
  name: 'Acme servers',
  enabled: true,
  position: 1,
  conditions: { levelGroupIds: ['g-acme'] },
  actions: {
    createTicket: true,
    titleTemplate: '{{alert}} on {{device}} ({{client}})',
    autoResolveTicket: true,
    resolveAlertOnTicketClose: false,
  },
};

const at = new Date('2026-11-27T12:00:00Z');

function facts(overrides: Partial<RouteFacts> = {}): RouteFacts {
  return { alert, device, rules: [ticketRule], windows: [], at, reopened: false, ...overrides };
}

describe('decideRoute', () => {
  it('opens a ticket through the first matching rule, with its templates and the severity priority', () => {
    const decision = decideRoute(facts());
    assert.equal(decision.action, 'ticket');
    if (decision.action !== 'ticket') return;
    assert.equal(decision.rule.id, 'rule-ticket');
    assert.equal(decision.ticket.title, 'Disk space low on SRV-01 (Acme)');
    assert.equal(decision.ticket.priority, 'high');
    assert.equal(decision.ticket.assignee, null);
    assert.equal(decision.ticket.occurrenceNote, undefined);
  });

  it('matches group conditions on the ancestry of the asset, not the group the alert reported', () => {
    const noDevice = decideRoute(facts({ device: null }));
    assert.deepEqual(noDevice, { action: 'record', ruleId: null });
  });

  it('falls back to the hostname and the reported group for a device without an asset (unmapped: only unmapped rules)', () => {
    assert.deepEqual(
      decideRoute(facts({ device: null, rules: [{ ...ticketRule, conditions: { levelGroupIds: ['g-reported'] } }] })),
      { action: 'record', ruleId: null },
    );
    const reportedGroupRule = { ...ticketRule, conditions: { unmapped: true, levelGroupIds: ['g-reported'] } };
    const decision = decideRoute(facts({ device: null, rules: [reportedGroupRule] }));
    assert.equal(decision.action === 'ticket' && decision.ticket.title, 'Disk space low on host-1 ()');
  });

  it('records with the matching rule when that rule creates no ticket', () => {
    const recordOnly = { ...ticketRule, id: 'rule-record', actions: { ...ticketRule.actions, createTicket: false } };
    assert.deepEqual(decideRoute(facts({ rules: [recordOnly] })), { action: 'record', ruleId: 'rule-record' });
  });

  it('suppresses inside a window of the device client before any rule applies', () => {
    const window: MaintenanceWindowSpec = {
      id: 'window-1',
      enabled: true,
      scope: { clientId: 'client-acme', assetId: null },
      startsAt: new Date('2026-11-27T11:00:00Z'),
      endsAt: new Date('2026-11-27T13:00:00Z'),
    };
    assert.deepEqual(decideRoute(facts({ windows: [window] })), {
      action: 'suppress',
      windowId: 'window-1',
      until: new Date('2026-11-27T13:00:00Z'),
    });
    const otherClient = { ...window, scope: { clientId: 'client-other', assetId: null } };
    assert.equal(decideRoute(facts({ windows: [otherClient] })).action, 'ticket');
  });

  it('says on the occurrence note that a re-opened alert fired again after resolving', () => {
    const decision = decideRoute(facts({ reopened: true }));
    assert.match(
      decision.action === 'ticket' ? (decision.ticket.occurrenceNote ?? '') : '',
      /fired again on SRV-01 after it had resolved \(Level alert alert-1\)/,
    );
  });
});
