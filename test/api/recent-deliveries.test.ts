import assert from 'node:assert/strict';
import { RecentDeliveries } from '../../api/webhook/recent-deliveries';

describe('RecentDeliveries', () => {
  it('remembers where events went, per tenant, forgetting the least recently remembered beyond its capacity', () => {
    const recent = new RecentDeliveries(2);
    recent.remember('tenant-a', 'e1', 'temporal');
    recent.remember('tenant-a', 'e2', 'inbox');
    assert.equal(recent.get('tenant-a', 'e1'), 'temporal');
    assert.equal(recent.get('tenant-b', 'e1'), undefined, 'event ids are per tenant');
    recent.remember('tenant-a', 'e1', 'temporal'); // refreshed: e2 is now the oldest
    recent.remember('tenant-a', 'e3', 'temporal');
    assert.equal(recent.get('tenant-a', 'e2'), undefined);
    assert.equal(recent.get('tenant-a', 'e1'), 'temporal');
    assert.equal(recent.get('tenant-a', 'e3'), 'temporal');
  });

  it('stays within its byte budget however long the ids, forgetting the oldest first', () => {
    const budget = 64 * 1024;
    const recent = new RecentDeliveries(20_000, budget);
    const longId = (i: number) => `${i}:${'x'.repeat(4_000)}`;
    for (let i = 0; i < 100; i += 1) {
      recent.remember('tenant-a', longId(i), 'temporal');
      assert.ok(recent.approximateBytes <= budget, `${recent.approximateBytes} bytes after ${i + 1} ids`);
    }
    assert.equal(recent.get('tenant-a', longId(99)), 'temporal', 'the newest is kept');
    assert.equal(recent.get('tenant-a', longId(0)), undefined, 'the oldest went');
    // Short ids fit many more in the same budget, and forgetting gives the bytes back.
    for (let i = 0; i < 200; i += 1) recent.remember('tenant-b', `e${i}`, 'inbox');
    assert.equal(recent.get('tenant-b', 'e0'), 'inbox');
    assert.ok(recent.approximateBytes <= budget);
  });
});
