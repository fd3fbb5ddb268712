import assert from 'node:assert/strict';
import { LevelNotFoundError } from '../../level/errors';
import { Fleet, LevelSimulator } from '../../simulator';
import { clientFor, collect, handMadeFleet, KEY, rejection, startSimulator } from './helpers';

describe('Level client pagination and filters', () => {
  let simulator: LevelSimulator;

  before(async () => {
    simulator = await startSimulator({ fleet: handMadeFleet() });
  });
  after(() => simulator.close());
  beforeEach(() => simulator.stats.reset());

  it('walks several pages driven by has_more, in id order, with nextCursor = last id', async () => {
    const client = clientFor(simulator);
    const first = await client.listDevicesPage({ limit: 2 });
    assert.deepEqual(
      first.data.map((d) => d.id),
      ['dev+2', 'dev/1'],
    );
    assert.equal(first.hasMore, true);
    assert.equal(first.nextCursor, 'dev/1');
    const second = await client.listDevicesPage({ limit: 2, startingAfter: first.nextCursor });
    assert.deepEqual(
      second.data.map((d) => d.id),
      ['dev3', 'dev4'],
    );
    const third = await client.listDevicesPage({ limit: 2, startingAfter: second.nextCursor! });
    assert.deepEqual(third, { data: third.data, hasMore: false, nextCursor: null });
    assert.deepEqual(
      third.data.map((d) => d.id),
      ['dev5'],
    );
  });

  it('iterates every item across pages, always sending limit=100', async () => {
    const fleet = new Fleet({ seed: 9 });
    for (let i = 0; i < 250; i += 1) fleet.addDevice({});
    const big = await startSimulator({ fleet });
    try {
      const client = clientFor(big);
      const devices = await collect(client.iterateDevices());
      assert.equal(devices.length, 250);
      assert.equal(new Set(devices.map((d) => d.id)).size, 250);
      assert.deepEqual(
        devices.map((d) => d.id),
        [...fleet.sortedDeviceIds()],
      );
      assert.equal(client.requestCount, 3);
      assert.equal(big.stats.countFor('/v2/devices'), 3);
    } finally {
      await big.close();
    }
  });

  it('lists root groups with parent_id=null and children with parent_id=<id>', async () => {
    const client = clientFor(simulator);
    const roots = await collect(client.iterateGroups({ parentId: null }));
    assert.deepEqual(roots.map((g) => g.id).sort(), ['a/cme+1', 'gl+obex']);
    const children = await collect(client.iterateGroups({ parentId: 'a/cme+1' }));
    assert.deepEqual(
      children.map((g) => g.id),
      ['br/anch'],
    );
    assert.equal((await collect(client.iterateGroups())).length, 4);
    const resumed = await collect(client.iterateGroups({}, { startingAfter: 'a/cme+1' }));
    assert.deepEqual(
      resumed.map((g) => g.id),
      ['br/anch', 'gl+obex', 'se+rv'],
    );
  });

  it('serves group documents with consistent counts and child ids', async () => {
    const acme = await clientFor(simulator).getGroup('a/cme+1');
    assert.equal(acme.name, 'Acme Corp');
    assert.equal(acme.parent_id, null);
    assert.deepEqual(acme.child_ids, ['br/anch']);
    assert.equal(acme.device_count, 1);
    assert.equal(acme.descendent_device_count, 3);
  });

  it('filters devices by group_id (direct only), group_id=null (ungrouped) and ancestor_group_id (subtree)', async () => {
    const client = clientFor(simulator);
    const ids = async (filters: Parameters<typeof client.iterateDevices>[0]) =>
      (await collect(client.iterateDevices(filters))).map((d) => d.id);
    assert.deepEqual(await ids({ groupId: 'a/cme+1' }), ['dev/1']);
    assert.deepEqual(await ids({ groupId: null }), ['dev5']);
    assert.deepEqual(await ids({ ancestorGroupId: 'a/cme+1' }), ['dev+2', 'dev/1', 'dev3']);
    assert.deepEqual(await ids({ ancestorGroupId: 'se+rv' }), ['dev3']);
    assert.deepEqual(await ids({ ancestorGroupId: 'br/anch', groupId: 'se+rv' }), ['dev3']);
  });

  it('filters devices by hostname, serial_number and tag_id, with encoded values', async () => {
    const client = clientFor(simulator);
    const ids = async (filters: Parameters<typeof client.iterateDevices>[0]) =>
      (await collect(client.iterateDevices(filters))).map((d) => d.id);
    assert.deepEqual(await ids({ hostname: 'ACME-SRV-1' }), ['dev3']);
    assert.deepEqual(await ids({ serialNumber: 'SER/2+X' }), ['dev+2']);
    const vip = simulator.fleet.tagIdFor('vip');
    assert.deepEqual(await ids({ tagId: vip }), ['dev/1', 'dev3']);
    assert.deepEqual(await ids({ tagId: vip, ancestorGroupId: 'se+rv' }), ['dev3']);
    assert.deepEqual(await ids({ tagId: 'no-such-tag' }), []);
  });

  it('URL-encodes ids containing / and + in paths and query values', async () => {
    const client = clientFor(simulator);
    assert.equal((await client.getDevice('dev/1')).hostname, 'ACME-WS-1');
    assert.equal((await client.getDevice('dev+2')).hostname, 'ACME-WS-2');
    assert.equal((await client.getGroup('br/anch')).name, 'Branch Office');
    assert.equal((await client.getAlert('al+2')).name, 'CPU high');
    assert.deepEqual(
      (await client.listDevicesPage({ startingAfter: 'dev+2', limit: 1 })).data.map((d) => d.id),
      ['dev/1'],
    );
    assert.ok(simulator.stats.countFor('/v2/devices/dev%2F1') === 1);
    // Unencoded, the same ids miss: the simulator is strict like a real router.
    const raw = await fetch(`${simulator.url}/v2/devices/dev/1`, { headers: { Authorization: KEY } });
    assert.equal(raw.status, 404);
  });

  it('adds detail arrays only for the requested include flags', async () => {
    const client = clientFor(simulator);
    const plain = await client.getDevice('dev3');
    for (const field of [
      'operating_system',
      'cpus',
      'memory',
      'disks',
      'disk_partitions',
      'network_interfaces',
      'security',
    ]) {
      assert.equal(field in plain, false, field);
    }
    const [detailed] = (
      await client.listDevicesPage({
        hostname: 'ACME-SRV-1',
        include: ['operating_system', 'disks', 'network_interfaces', 'memory'],
      })
    ).data;
    assert.ok(detailed);
    assert.match(detailed.operating_system?.full_operating_system ?? '', /Windows Server|Ubuntu/);
    assert.ok((detailed.disks?.length ?? 0) > 0 && (detailed.disk_partitions?.length ?? 0) > 0);
    assert.ok(detailed.network_interfaces?.[0]?.ip_addresses?.length);
    assert.equal(detailed.cpus, undefined);
    const memoryTotal = (detailed.memory ?? []).reduce((sum, module) => sum + Number(module.capacity), 0);
    assert.equal(memoryTotal, detailed.total_memory);
    const all = await client.getDevice('dev3', ['cpus', 'security']);
    assert.ok(all.cpus?.length && Array.isArray(all.security));
  });

  it('keeps unknown fields of the raw document and documented fields in snake_case', async () => {
    const device = await clientFor(simulator).getDevice('dev/1');
    assert.equal(device.group_name, 'Acme Corp');
    assert.deepEqual(device.tags, ['vip']);
    assert.equal(typeof device.last_seen_at, 'string');
    assert.equal(typeof device.serial_number, 'string');
  });

  it('filters alerts by status and device_id and resolves one through the API', async () => {
    const client = clientFor(simulator);
    const active = await collect(client.iterateAlerts({ status: 'active' }));
    assert.deepEqual(
      active.map((a) => a.id),
      ['al/1'],
    );
    const resolved = await collect(client.iterateAlerts({ status: 'resolved' }));
    assert.deepEqual(
      resolved.map((a) => a.id),
      ['al+2'],
    );
    assert.deepEqual(
      (await collect(client.iterateAlerts({ deviceId: 'dev3' }))).map((a) => a.id),
      ['al+2'],
    );
    const alert = await client.resolveAlert('al/1');
    assert.equal(alert?.is_resolved, true);
    assert.equal(typeof alert?.resolved_at, 'string');
    assert.deepEqual(simulator.stats.resolvedAlertIds, ['al/1']);
    assert.equal((await client.listAlertsPage({ status: 'active' })).data.length, 0);
    simulator.fleet.reopenAlert('al/1');
  });

  it('maps 404s to LevelNotFoundError', async () => {
    const client = clientFor(simulator);
    for (const promise of [client.getDevice('nope/x'), client.getGroup('nope'), client.resolveAlert('nope+1')]) {
      const error = await rejection(promise);
      assert.ok(error instanceof LevelNotFoundError);
      assert.equal(error.retryable, false);
    }
    assert.equal(client.requestCount, 3);
  });
});
