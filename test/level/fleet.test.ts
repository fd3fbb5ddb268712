import assert from 'node:assert/strict';
import { Fleet, generateFleet, GroupDocument } from '../../simulator';
import { clientFor, collect, handMadeFleet, KEY, startSimulator } from './helpers';

/** Checks every derived group field against a recount from the raw model. */
function assertConsistent(fleet: Fleet): void {
  const groups = fleet.sortedGroupIds().map((id) => fleet.groupDocument(id) as GroupDocument);
  const byId = new Map(groups.map((group) => [group.id, group]));
  const direct = new Map<string, number>();
  for (const id of fleet.sortedDeviceIds()) {
    const groupId = fleet.device(id)?.group_id;
    if (groupId) direct.set(groupId, (direct.get(groupId) ?? 0) + 1);
  }
  const subtreeCount = (id: string): number => {
    const group = byId.get(id) as GroupDocument;
    return (direct.get(id) ?? 0) + group.child_ids.reduce((sum, child) => sum + subtreeCount(child), 0);
  };
  for (const group of groups) {
    const children = groups
      .filter((other) => other.parent_id === group.id)
      .map((other) => other.id)
      .sort();
    assert.deepEqual(group.child_ids, children, `child_ids of ${group.id}`);
    assert.equal(group.device_count, direct.get(group.id) ?? 0, `device_count of ${group.id}`);
    assert.equal(group.descendent_device_count, subtreeCount(group.id), `descendent_device_count of ${group.id}`);
    assert.equal(fleet.sortedSubtreeDeviceIds(group.id).length, group.descendent_device_count);
  }
}

function depthOf(fleet: Fleet, id: string): number {
  let depth = 1;
  for (let group = fleet.groupDocument(id); group?.parent_id; group = fleet.groupDocument(group.parent_id)) depth += 1;
  return depth;
}

describe('Level fleet model and generator', () => {
  const options = { seed: 42, groups: 60, depth: 4, devices: 700, ungroupedDevices: 7, alerts: 40 };

  it('generates the requested counts with a consistent tree', () => {
    const fleet = generateFleet(options);
    assert.equal(fleet.groupCount, 60);
    assert.equal(fleet.deviceCount, 707);
    assert.equal(fleet.alertCount, 40);
    assert.equal(fleet.sortedDeviceIdsInGroup(null).length, 7);
    const depths = fleet.sortedGroupIds().map((id) => depthOf(fleet, id));
    assert.equal(Math.max(...depths), 4);
    const roots = fleet.sortedGroupIds(null).map((id) => fleet.groupDocument(id) as GroupDocument);
    assert.equal(
      roots.reduce((sum, root) => sum + root.descendent_device_count, 0),
      700,
    );
    assertConsistent(fleet);
  });

  it('is deterministic by seed and differs across seeds', () => {
    const snapshot = (fleet: Fleet) =>
      JSON.stringify({
        groups: fleet.sortedGroupIds().map((id) => fleet.groupDocument(id)),
        devices: fleet
          .sortedDeviceIds()
          .slice(0, 50)
          .map((id) => fleet.deviceDocument(id, ['operating_system', 'network_interfaces'])),
        alerts: fleet.sortedAlertIds().map((id) => fleet.alertDocument(id)),
      });
    assert.equal(snapshot(generateFleet(options)), snapshot(generateFleet(options)));
    assert.notEqual(snapshot(generateFleet(options)), snapshot(generateFleet({ ...options, seed: 43 })));
  });

  it('makes Level-like ids: unpadded base64, some with / and some with +', () => {
    const fleet = generateFleet(options);
    const ids = [...fleet.sortedGroupIds(), ...fleet.sortedDeviceIds(), ...fleet.sortedAlertIds()];
    for (const id of ids) assert.match(id, /^[A-Za-z0-9+/]+$/);
    assert.ok(ids.filter((id) => id.includes('/')).length > ids.length / 4);
    assert.ok(ids.filter((id) => id.includes('+')).length > ids.length / 4);
    const gid = generateFleet({ ...options, idStyle: 'gid' });
    const first = gid.sortedGroupIds()[0] as string;
    assert.match(Buffer.from(first, 'base64').toString(), /^gid:\/\/level\/Group\/\d+$/);
  });

  it('fills every documented device field with realistic values', () => {
    const fleet = generateFleet(options);
    const documents = fleet
      .sortedDeviceIds()
      .map((id) => fleet.deviceDocument(id) as NonNullable<ReturnType<Fleet['deviceDocument']>>);
    const roles = new Set(documents.map((d) => d.role));
    assert.deepEqual([...roles].sort(), ['domain_controller', 'server', 'workstation', null].sort());
    assert.deepEqual([...new Set(documents.map((d) => d.platform))].sort(), ['Linux', 'Mac', 'Windows']);
    const fields = [
      'hostname',
      'nickname',
      'role',
      'group_id',
      'group_name',
      'tags',
      'flag',
      'maintenance_mode',
      'online',
      'notes',
      'platform',
      'manufacturer',
      'model',
      'architecture',
      'serial_number',
      'total_memory',
      'cpu_cores',
      'last_logged_in_user',
      'last_reboot_time',
      'last_seen_at',
      'city',
      'country',
      'security_score',
      'public_ip_address',
    ];
    for (const field of fields) assert.ok(field in (documents[0] as object), field);
    assert.ok(
      documents.every(
        (d) => !Number.isNaN(Date.parse(d.last_seen_at)) && !Number.isNaN(Date.parse(d.last_reboot_time)),
      ),
    );
    assert.equal(new Set(documents.map((d) => d.hostname)).size, documents.length);
  });

  it('reflects mutations in subsequent API responses', async () => {
    const fleet = handMadeFleet();
    const simulator = await startSimulator({ fleet });
    try {
      const client = clientFor(simulator);
      fleet.renameGroup('br/anch', 'Branch Office (North)');
      assert.equal((await client.getGroup('br/anch')).name, 'Branch Office (North)');
      assert.equal((await client.getDevice('dev+2')).group_name, 'Branch Office (North)');

      // Move the Servers group under Globex: counts and subtree listings follow.
      fleet.moveGroup('se+rv', 'gl+obex');
      assert.equal((await client.getGroup('a/cme+1')).descendent_device_count, 2);
      assert.equal((await client.getGroup('gl+obex')).descendent_device_count, 2);
      assert.deepEqual(
        (await collect(client.iterateDevices({ ancestorGroupId: 'gl+obex' }))).map((d) => d.id),
        ['dev3', 'dev4'],
      );

      const added = fleet.addDevice({ hostname: 'NEW-1', groupId: 'br/anch' });
      fleet.moveDevice('dev/1', null);
      fleet.updateDevice('dev4', { hostname: 'GLOBEX-RENAMED', online: false });
      assert.deepEqual(
        (await collect(client.iterateDevices({ groupId: null }))).map((d) => d.id),
        ['dev/1', 'dev5'],
      );
      assert.deepEqual(
        (await collect(client.iterateDevices({ hostname: 'globex-renamed' }))).map((d) => d.online),
        [false],
      );
      assert.equal((await collect(client.iterateDevices({ hostname: 'GLOBEX-WS-1' }))).length, 0);
      assert.equal((await client.getGroup('br/anch')).device_count, 2);
      assert.equal(added.group_id, 'br/anch');

      fleet.deleteDevice('dev5');
      assert.equal(
        (await collect(client.iterateDevices())).some((d) => d.id === 'dev5'),
        false,
      );

      // Alerts: new, resolved, reopened (same id, active again).
      const alert = fleet.addAlert({ deviceId: 'dev3', name: 'Service stopped', severity: 'emergency' });
      assert.deepEqual(
        (await collect(client.iterateAlerts({ status: 'active' }))).map((a) => a.id).sort(),
        [alert.id, 'al/1'].sort(),
      );
      fleet.resolveAlert(alert.id);
      const resolved = await client.getAlert(alert.id);
      assert.equal(resolved.is_resolved, true);
      assert.ok(resolved.resolved_at);
      fleet.reopenAlert(alert.id);
      const reopened = await client.getAlert(alert.id);
      assert.deepEqual([reopened.is_resolved, reopened.resolved_at], [false, null]);

      // Deleting a group moves its children and devices up; cascade removes the subtree.
      fleet.deleteGroup('br/anch');
      assert.deepEqual((await client.getGroup('a/cme+1')).child_ids, []);
      assert.equal((await client.getGroup('a/cme+1')).device_count, 2);
      fleet.deleteGroup('gl+obex', { cascade: true });
      assert.equal((await collect(client.iterateGroups())).length, 1);
      assert.equal(fleet.hasDevice('dev3'), false);
      assert.equal(fleet.alertDocument('al+2'), undefined);
      assertConsistent(fleet);
    } finally {
      await simulator.close();
    }
  });

  it('re-enrolls a device: a new id for the same machine, the old id and its alerts gone', () => {
    const fleet = handMadeFleet();
    const before = fleet.deviceDocument('dev3', ['disks', 'network_interfaces'])!;
    fleet.addAlert({ deviceId: 'dev3', name: 'Disk full' });
    const fresh = fleet.reenrollDevice('dev3', 'dev3-again');
    assert.equal(fresh.id, 'dev3-again');
    assert.equal(fleet.hasDevice('dev3'), false);
    assert.deepEqual(fleet.sortedAlertIdsForDevice('dev3'), []);
    const after = fleet.deviceDocument('dev3-again', ['disks', 'network_interfaces'])!;
    const { id: _before, ...machine } = before;
    const { id: _after, ...same } = after;
    assert.deepEqual(same, machine, "serial number, hostname, group and hardware are the machine's");
    assert.deepEqual(fleet.sortedDeviceIdsBySerial(before.serial_number), ['dev3-again']);
    assert.notEqual(fleet.reenrollDevice('dev3-again').id, 'dev3-again', 'a fresh id when none is given');
  });

  it('refuses inconsistent mutations', () => {
    const fleet = handMadeFleet();
    assert.throws(() => fleet.moveGroup('a/cme+1', 'se+rv'), /own subtree/);
    assert.throws(() => fleet.addGroup({ id: 'a/cme+1', name: 'dup' }), /taken/);
    assert.throws(() => fleet.addDevice({ groupId: 'missing' }), /Unknown group/);
    assert.throws(() => fleet.addAlert({ deviceId: 'missing' }), /Unknown device/);
  });

  it('serves a generated fleet with Level defaults (limit 20)', async () => {
    const simulator = await startSimulator({ fleet: options });
    try {
      const response = await fetch(`${simulator.url}/v2/devices`, { headers: { Authorization: KEY } });
      const body = (await response.json()) as { data: unknown[]; has_more: boolean };
      assert.equal(body.data.length, 20);
      assert.equal(body.has_more, true);
    } finally {
      await simulator.close();
    }
  });
});
