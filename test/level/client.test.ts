// Client behaviour that needs a misbehaving server: driven through `fetchImpl` fakes.
import assert from 'node:assert/strict';
import { createLevelClient, LevelClientOptions } from '../../level/client';
import { LevelBadResponseError, LevelPaginationError } from '../../level/errors';
import { collect, rejection } from './helpers';

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

/** A client whose HTTP layer is `handler`; records every URL requested. */
function fakeClient(handler: Handler, options: Partial<LevelClientOptions> = {}) {
  const urls: URL[] = [];
  const client = createLevelClient({
    baseUrl: 'https://api.level.example/',
    apiKey: 'secret-key',
    retryBaseDelayMs: 1,
    fetchImpl: async (input, init) => {
      const url = new URL(input);
      urls.push(url);
      return handler(url, init);
    },
    ...options,
  });
  return { client, urls };
}

describe('Level client (fake transport)', () => {
  it('sends the raw key, limit=100, encoded filters, and no double slash after the base URL', async () => {
    let authorization: string | null = null;
    const { client, urls } = fakeClient((_url, init) => {
      authorization = new Headers(init.headers).get('authorization');
      return Response.json({ data: [], has_more: false });
    });
    await client.listDevicesPage({ groupId: null, ancestorGroupId: 'a/b+c', include: ['cpus', 'security'] });
    const [url] = urls;
    assert.ok(url);
    assert.equal(authorization, 'secret-key');
    assert.equal(url.pathname, '/v2/devices');
    assert.equal(url.searchParams.get('limit'), '100');
    assert.equal(url.searchParams.get('group_id'), 'null');
    assert.equal(url.searchParams.get('ancestor_group_id'), 'a/b+c');
    assert.match(url.search, /ancestor_group_id=a%2Fb%2Bc/);
    assert.equal(url.searchParams.get('include_cpus'), 'true');
    assert.equal(url.searchParams.get('include_security'), 'true');
  });

  it('stops on a repeated cursor instead of looping forever', async () => {
    const { client } = fakeClient(() => Response.json({ data: [{ id: 'same' }], has_more: true }));
    const error = await rejection(collect(client.iterateGroups()));
    assert.ok(error instanceof LevelPaginationError);
    assert.match(error.message, /cursor/);
    assert.equal(client.requestCount, 2);
  });

  it('stops on has_more with an empty page', async () => {
    const { client } = fakeClient(() => Response.json({ data: [], has_more: true }));
    assert.ok((await rejection(collect(client.iterateAlerts()))) instanceof LevelPaginationError);
  });

  it('stops after maxPages pages', async () => {
    let counter = 0;
    const { client } = fakeClient(() => Response.json({ data: [{ id: `id-${(counter += 1)}` }], has_more: true }), {
      maxPages: 5,
    });
    const error = await rejection(collect(client.iterateDevices()));
    assert.ok(error instanceof LevelPaginationError);
    assert.equal(client.requestCount, 5);
  });

  it('keeps unknown fields and tolerates odd field types, but requires ids', async () => {
    const { client } = fakeClient(() =>
      Response.json({ data: [{ id: 'd1', hostname: 42, future_field: { x: 1 }, tags: ['a'] }], has_more: false }),
    );
    const [device] = (await client.listDevicesPage()).data;
    assert.ok(device);
    assert.equal(device.hostname, undefined);
    assert.deepEqual(device.future_field, { x: 1 });
    assert.deepEqual(device.tags, ['a']);

    const missingId = fakeClient(() => Response.json({ data: [{ hostname: 'x' }], has_more: false }), {
      maxRetries: 1,
    });
    const error = await rejection(missingId.client.listDevicesPage());
    assert.ok(error instanceof LevelBadResponseError);
    assert.match(error.message, /unexpected body shape \(HTTP 200\) at data\.0\.id/);
    assert.equal(missingId.client.requestCount, 2);
  });

  it('rejects a list without has_more and a JSON body that is not JSON', async () => {
    const noHasMore = fakeClient(() => Response.json({ data: [] }), { maxRetries: 0 });
    assert.ok((await rejection(noHasMore.client.listGroupsPage())) instanceof LevelBadResponseError);
    const garbage = fakeClient(() => new Response('{"data": [', { headers: { 'content-type': 'application/json' } }), {
      maxRetries: 0,
    });
    const error = await rejection(garbage.client.listGroupsPage());
    assert.ok(error instanceof LevelBadResponseError);
    assert.equal(error.message, 'Level answered with a non-JSON body (application/json, HTTP 200)');
  });

  it('accepts an empty or wrapped body from the (unconfirmed) resolve endpoint', async () => {
    const empty = fakeClient(() => new Response(null, { status: 204 }));
    assert.equal(await empty.client.resolveAlert('a/1'), null);
    assert.equal(empty.urls[0]?.pathname, '/v2/alerts/a%2F1/resolve');
    const wrapped = fakeClient(() => Response.json({ data: { id: 'a/1', is_resolved: true } }));
    assert.equal((await wrapped.client.resolveAlert('a/1'))?.is_resolved, true);
  });

  it('propagates a budget refusal without sending the request', async () => {
    const { client, urls } = fakeClient(() => Response.json({ data: [], has_more: false }), {
      budget: { acquire: () => Promise.reject(new Error('budget exhausted')) },
    });
    await assert.rejects(client.listGroupsPage(), /budget exhausted/);
    assert.equal(urls.length, 0);
    assert.equal(client.requestCount, 0);
  });
});
