// Every list endpoint pages the same way (api.md, "Lists"): ?limit= (default 100, at most 500),
// an opaque ?cursor=, and nextCursor (null at the end); pages follow a stable order, so rows
// added meanwhile never shift what comes next.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { recordPlannedSyncRun } from '../../db/sync-run-store';
import { startLevelSimulator, type LevelSimulator } from '../../simulator';
import { apiAs, errorFields } from '../support/http';
import { connectTenant, LEVEL } from '../support/level-tenant';
import { getTestEnv, type TestEnv } from '../support/test-env';

const LIST_ENDPOINTS = [
  '/api/v1/clients',
  '/api/v1/alerts',
  '/api/v1/tickets',
  '/api/v1/alert-rules',
  '/api/v1/maintenance-windows',
  `${LEVEL}/groups`,
  `${LEVEL}/webhook/deliveries`,
  `${LEVEL}/sync-runs`,
];

/** Every item of a list, page by page; also the page sizes. */
async function walk(
  api: ReturnType<typeof apiAs>,
  path: string,
  limit: number,
  from: string | null = null,
): Promise<{ items: any[]; sizes: number[] }> {
  const items: any[] = [];
  const sizes: number[] = [];
  let cursor = from;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api.get(
      `${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(page.status, 200, JSON.stringify(page.body));
    items.push(...page.body.items);
    sizes.push(page.body.items.length);
    cursor = page.body.nextCursor;
    assert.ok(sizes.length < 50, 'the walk ends');
  } while (cursor !== null);
  return { items, sizes };
}

describe('List pagination', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let simulator: LevelSimulator;

  before(async () => {
    env = await getTestEnv();
    simulator = await startLevelSimulator({ fleet: { seed: 21, groups: 7, depth: 3, devices: 5 } });
  });

  after(async () => {
    await simulator.close();
  });

  it('walks clients in name order, three at a time, unshifted by a client added meanwhile', async () => {
    const api = apiAs(env.apiUrl, (await env.createTenant()).token);
    for (const name of ['Echo', 'Alpha', 'Golf', 'Charlie', 'Bravo', 'Foxtrot', 'Delta'])
      assert.equal((await api.post('/api/v1/clients', { name })).status, 201);
    const first = await api.get('/api/v1/clients?limit=3');
    assert.deepEqual(
      first.body.items.map((c: { name: string }) => c.name),
      ['Alpha', 'Bravo', 'Charlie'],
    );
    assert.equal(typeof first.body.nextCursor, 'string');
    await api.post('/api/v1/clients', { name: 'Aardvark' }); // sorts before the cursor: not seen, nothing repeated
    const rest = await walk(api, '/api/v1/clients', 3, first.body.nextCursor);
    assert.deepEqual(
      rest.items.map((c: { name: string }) => c.name),
      ['Delta', 'Echo', 'Foxtrot', 'Golf'],
    );
    assert.deepEqual(rest.sizes, [3, 1]);
    const all = await api.get('/api/v1/clients');
    assert.equal(all.body.items.length, 8);
    assert.equal(all.body.nextCursor, null, 'default 100: one page');
  });

  it('walks groups in tree order across pages', async () => {
    const t = await connectTenant(env, simulator);
    await t.discover();
    const whole = await t.api.get(`${LEVEL}/groups?limit=500`);
    assert.equal(whole.body.items.length, 7);
    const paged = await walk(t.api, `${LEVEL}/groups`, 2);
    assert.deepEqual(paged.sizes, [2, 2, 2, 1]);
    assert.deepEqual(
      paged.items.map((g: { levelGroupId: string }) => g.levelGroupId),
      whole.body.items.map((g: { levelGroupId: string }) => g.levelGroupId),
    );
  });

  it('keeps filters across pages (tickets by status)', async () => {
    const api = apiAs(env.apiUrl, (await env.createTenant()).token);
    for (const name of ['One', 'Two', 'Three'])
      assert.equal((await api.post('/api/v1/alert-rules', { name, actions: { createTicket: false } })).status, 201);
    const rules = await walk(api, '/api/v1/alert-rules', 2);
    assert.deepEqual(
      rules.items.map((r: { name: string }) => r.name),
      ['One', 'Two', 'Three'],
      'evaluation order',
    );
    const none = await api.get('/api/v1/tickets?status=open&limit=1');
    assert.deepEqual([none.body.items, none.body.nextCursor], [[], null]);
  });

  it('walks rows whose timestamps share a millisecond, in both directions, none skipped or shown twice', async () => {
    const t = await connectTenant(env, simulator);
    const em = env.orm.em.fork();
    // Four rows in one millisecond, microseconds apart (a JavaScript Date keeps only the millisecond).
    const sameMillisecond = (table: string, column: string, ids: string[]) =>
      Promise.all(
        ids.map((id, i) =>
          em.execute(`update "${table}" set "${column}" = '2026-12-01 10:00:00.1231${i}+00' where "id" = ?`, [id]),
        ),
      );

    // Oldest first: maintenance windows.
    const windows: string[] = [];
    for (const name of ['W0', 'W1', 'W2', 'W3']) {
      const created = await t.api.post('/api/v1/maintenance-windows', {
        name,
        scope: {},
        startsAt: '2026-12-01T22:00:00Z',
        endsAt: '2026-12-02T02:00:00Z',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      windows.push(created.body.id);
    }
    await sameMillisecond('maintenance_windows', 'created_at', windows);
    const walkedWindows = await walk(t.api, '/api/v1/maintenance-windows', 1);
    assert.deepEqual(
      walkedWindows.items.map((w: { name: string }) => w.name),
      ['W0', 'W1', 'W2', 'W3'],
    );

    // Newest first: the sync history.
    const integrationId = (await t.api.get(LEVEL)).body.id as string;
    const runs: string[] = [];
    for (let i = 0; i < 4; i++) {
      const run = { tenantId: t.tenant.tenantId, integrationId, syncRunId: randomUUID(), runId: null };
      await recordPlannedSyncRun(em, { ...run, workflowId: `test/${i}`, trigger: 'manual', expected: 0, roots: [] });
      runs.push(run.syncRunId);
    }
    await sameMillisecond('sync_runs', 'started_at', runs);
    const walkedRuns = await walk(t.api, `${LEVEL}/sync-runs`, 1);
    assert.deepEqual(
      walkedRuns.items.map((r: { id: string }) => r.id),
      [...runs].reverse(),
    );
  });

  it('refuses a limit out of range and a cursor it did not issue, on every list', async () => {
    const t = await connectTenant(env, simulator);
    const client = await t.createClient('Paged');
    for (const path of [...LIST_ENDPOINTS, `/api/v1/clients/${client}/assets`]) {
      for (const query of [
        'limit=0',
        'limit=501',
        'limit=ten',
        'cursor=not-a-cursor',
        `cursor=${Buffer.from('[{"$gt":1}]').toString('base64url')}`,
      ]) {
        const answer = await t.api.get(`${path}?${query}`);
        assert.equal(answer.status, 400, `${path}?${query}: ${JSON.stringify(answer.body)}`);
        assert.deepEqual(errorFields(answer), [query.split('=')[0]], `${path}?${query}`);
      }
    }
  });
});
