// Sanity at MSP scale: 100k devices in 5000 groups, paged through the client over HTTP.
// Timings are printed for humans, never asserted (CI machines vary).
import assert from 'node:assert/strict';
import { generateFleet, GroupDocument, LevelSimulator } from '../../simulator';
import { clientFor, collect, startSimulator } from './helpers';

describe('Level simulator at scale', function () {
  this.timeout(60_000);
  let simulator: LevelSimulator;

  before(async () => {
    const started = Date.now();
    const fleet = generateFleet({ seed: 2024, groups: 5000, depth: 5, devices: 100_000, alerts: 500 });
    console.log(`      generated 5000 groups / 100k devices in ${Date.now() - started} ms`);
    simulator = await startSimulator({ fleet });
  });
  after(() => simulator?.close());

  it('pages through one large subtree with ancestor_group_id', async () => {
    const fleet = simulator.fleet;
    const roots = fleet.sortedGroupIds(null).map((id) => fleet.groupDocument(id) as GroupDocument);
    const largest = roots.reduce((best, root) =>
      root.descendent_device_count > best.descendent_device_count ? root : best,
    );
    const client = clientFor(simulator);
    const started = Date.now();
    const devices = await collect(
      client.iterateDevices({ ancestorGroupId: largest.id, include: ['operating_system'] }),
    );
    console.log(`      paged ${devices.length} devices in ${client.requestCount} requests, ${Date.now() - started} ms`);
    assert.equal(devices.length, largest.descendent_device_count);
    assert.equal(new Set(devices.map((device) => device.id)).size, devices.length);
    assert.equal(client.requestCount, Math.ceil(devices.length / 100) || 1);
    assert.ok(devices.every((device) => device.group_id && fleet.isInSubtree(device.group_id, largest.id)));
  });

  it('lists all 5000 groups in 50 requests', async () => {
    const client = clientFor(simulator);
    const started = Date.now();
    const groups = await collect(client.iterateGroups());
    console.log(`      listed ${groups.length} groups in ${Date.now() - started} ms`);
    assert.equal(groups.length, 5000);
    assert.equal(client.requestCount, 50);
  });
});
