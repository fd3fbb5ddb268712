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
});
