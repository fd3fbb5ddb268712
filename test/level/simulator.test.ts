import assert from 'node:assert/strict';
import { LevelRateLimitedError } from '../../level/errors';
import { LevelSimulator, RateLimiter } from '../../simulator';
import { clientFor, handMadeFleet, KEY, READ_ONLY_KEY, rejection, startSimulator } from './helpers';

async function get(
  simulator: LevelSimulator,
  path: string,
  key = KEY,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${simulator.url}${path}`, { headers: { Authorization: key } });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

describe('Level simulator', () => {
  describe('HTTP surface', () => {
    let simulator: LevelSimulator;

    before(async () => {
      simulator = await startSimulator({ fleet: handMadeFleet() });
    });
    after(() => simulator.close());

    it('listens on 127.0.0.1 with an ephemeral port', () => {
      assert.match(simulator.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(simulator.port > 0);
    });

    it('rejects limits outside 1..100 and unknown statuses with a JSON 400', async () => {
      for (const limit of ['0', '101', 'abc', '2.5']) {
        const { status, body } = await get(simulator, `/v2/devices?limit=${limit}`);
        assert.equal(status, 400, limit);
        assert.equal(typeof (body as { error: unknown }).error, 'string');
      }
      assert.equal((await get(simulator, '/v2/devices?limit=100')).status, 200);
      assert.equal((await get(simulator, '/v2/devices?status=open')).status, 200);
      assert.equal((await get(simulator, '/v2/alerts?status=open')).status, 400);
    });

    it('pages backwards with ending_before', async () => {
      const { body } = await get(simulator, `/v2/devices?limit=2&ending_before=dev4`);
      assert.deepEqual(body, {
        data: [simulator.fleet.deviceDocument('dev/1'), simulator.fleet.deviceDocument('dev3')],
        has_more: true,
      });
      const first = (await get(simulator, `/v2/devices?limit=2&ending_before=dev%2F1`)).body as {
        data: { id: string }[];
        has_more: boolean;
      };
      assert.deepEqual(
        first.data.map((d) => d.id),
        ['dev+2'],
      );
      assert.equal(first.has_more, false);
    });

    it('continues after a cursor that no longer exists', async () => {
      const { body } = await get(simulator, `/v2/devices?limit=100&starting_after=dev30`);
      assert.deepEqual(
        (body as { data: { id: string }[] }).data.map((d) => d.id),
        ['dev4', 'dev5'],
      );
    });

    it('answers unknown paths and methods with a JSON 404', async () => {
      assert.deepEqual(await get(simulator, '/v2/nope').then((r) => [r.status, r.body]), [404, { error: 'Not found' }]);
      assert.equal((await get(simulator, '/v1/devices')).status, 404);
      const post = await fetch(`${simulator.url}/v2/devices`, { method: 'POST', headers: { Authorization: KEY } });
      assert.equal(post.status, 404);
    });

    it('counts requests per path and can reset', async () => {
      simulator.stats.reset();
      await get(simulator, '/v2/groups');
      await get(simulator, '/v2/groups?limit=1');
      await get(simulator, '/v2/devices/dev%2F1');
      assert.equal(simulator.stats.total, 3);
      assert.equal(simulator.stats.countFor('/v2/groups'), 2);
      assert.equal(simulator.stats.countUnder('/v2/devices'), 1);
      simulator.stats.reset();
      assert.equal(simulator.stats.total, 0);
    });

    it('scripts faults in order and clears them', async () => {
      simulator.faults.inject({ status: 500 });
      simulator.faults.inject({ status: 422, body: { error: 'Unprocessable' } });
      assert.equal((await get(simulator, '/v2/groups')).status, 500);
      assert.deepEqual(await get(simulator, '/v2/groups').then((r) => [r.status, r.body]), [
        422,
        { error: 'Unprocessable' },
      ]);
      simulator.faults.inject({ status: 500, times: 5 });
      simulator.faults.clear();
      assert.equal((await get(simulator, '/v2/groups')).status, 200);
    });

    it('can swap the accepted keys at runtime', async () => {
      simulator.setApiKeys(['rotated']);
      assert.equal((await get(simulator, '/v2/groups')).status, 401);
      assert.equal((await get(simulator, '/v2/groups', 'rotated')).status, 200);
      simulator.setApiKeys([KEY, { key: READ_ONLY_KEY, readOnly: true }]);
    });
  });

  describe('rate limiter', () => {
    it('refills a per-key token bucket at requestsPerMinute', () => {
      let now = 0;
      const limiter = new RateLimiter({ requestsPerMinute: 60 }, () => now);
      for (let i = 0; i < 60; i += 1) assert.deepEqual(limiter.take('a'), { allowed: true });
      assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 1 });
      assert.deepEqual(limiter.take('b'), { allowed: true });
      now += 1000;
      assert.deepEqual(limiter.take('a'), { allowed: true });
      assert.equal(limiter.take('a').allowed, false);
    });

    it('answers 429 with Retry-After over HTTP, per key, and counts it', async () => {
      const simulator = await startSimulator({ fleet: handMadeFleet(), rateLimit: { requestsPerMinute: 3 } });
      try {
        for (let i = 0; i < 3; i += 1) assert.equal((await get(simulator, '/v2/groups')).status, 200);
        const limited = await get(simulator, '/v2/groups');
        assert.equal(limited.status, 429);
        assert.deepEqual(limited.body, { error: 'Rate limit exceeded' });
        assert.equal(limited.headers.get('retry-after'), '20');
        assert.equal((await get(simulator, '/v2/groups', READ_ONLY_KEY)).status, 200);
        const error = await rejection(clientFor(simulator, { maxRetries: 0 }).listGroupsPage());
        assert.ok(error instanceof LevelRateLimitedError);
        assert.equal(error.retryAfterMs, 20_000);
        assert.equal(simulator.stats.rateLimited, 2);
        simulator.setRateLimit(null);
        assert.equal((await get(simulator, '/v2/groups')).status, 200);
      } finally {
        await simulator.close();
      }
    });
  });
});
