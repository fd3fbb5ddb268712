// The one builder of an alert's row (routing and a first-seen resolve both use it): pure, no database.
import assert from 'node:assert/strict';
import type { AlertSnapshot } from '../../contracts/alerts';
import { alertName, alertRowOf } from '../../db/alert-row';
import { conditionKeyFor } from '../../db/ticket-store';

describe('alert row', () => {
  const ref = { tenantId: 'tenant-1', integrationId: 'integration-1', levelAlertId: 'alert-1' };
  const snapshot: AlertSnapshot = {
    levelAlertId: 'alert-1',
    levelDeviceId: 'dev-1',
    name: 'Disk  space low',
    description: 'C: is 91% full',
    severity: 'warning',
    startedAt: '2026-03-01T10:00:00.000Z',
    resolvedAt: '2026-03-01T10:30:00.000Z',
    hostname: 'web-01',
    levelGroupId: 'group-1',
  };
  const device = { assetId: 'asset-1', clientId: 'client-1' };

  it('writes every column from the snapshot, the device and the given id and status', () => {
    const row = alertRowOf(ref, snapshot, { id: 'row-1', status: 'active', device });
    assert.deepEqual(row, {
      id: 'row-1',
      tenantId: 'tenant-1',
      integrationId: 'integration-1',
      levelAlertId: 'alert-1',
      levelDeviceId: 'dev-1',
      name: 'Disk  space low',
      description: 'C: is 91% full',
      severity: 'warning',
      status: 'active',
      startedAt: new Date('2026-03-01T10:00:00.000Z'),
      resolvedAt: null,
      conditionKey: conditionKeyFor('dev-1', 'Disk  space low'),
      raw: { ...snapshot },
      assetId: 'asset-1',
      clientId: 'client-1',
      ticketId: null,
      matchedRuleId: null,
      suppressedByWindowId: null,
    });
    assert.notEqual(row.raw, snapshot, 'raw is a copy: the row does not share the snapshot');
  });

  it('gives only a resolved row the time it resolved', () => {
    const at = new Date('2026-03-01T10:30:00.000Z');
    assert.deepEqual(alertRowOf(ref, snapshot, { id: 'r', status: 'resolved', device }).resolvedAt, at);
    assert.equal(
      alertRowOf(ref, { ...snapshot, resolvedAt: null }, { id: 'r', status: 'resolved', device }).resolvedAt,
      null,
    );
    for (const status of ['active', 'unmapped', 'suppressed'] as const)
      assert.equal(alertRowOf(ref, snapshot, { id: 'r', status, device }).resolvedAt, null, status);
  });

  it('without a device, has no asset or client; a snapshot without name, description or start says so', () => {
    const bare = { ...snapshot, name: '', description: undefined as unknown as null, startedAt: null };
    const row = alertRowOf(ref, bare, { id: 'r', status: 'unmapped', device: null });
    assert.equal(row.assetId, null);
    assert.equal(row.clientId, null);
    assert.equal(row.name, 'Level alert');
    assert.equal(alertName(bare), 'Level alert');
    assert.equal(row.conditionKey, conditionKeyFor('dev-1', 'Level alert'));
    assert.equal(row.description, null);
    assert.equal(row.startedAt, null);
  });
});
