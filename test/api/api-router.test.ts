// The /api/v1 router: bearer authentication runs before every admin route, whatever the case of
// the path (routes match in any case), and methods and unknown paths answer as before nesting.
import assert from 'node:assert/strict';
import { call } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('API router', function () {
  this.timeout(120_000);
  let env: TestEnv;

  before(async () => {
    env = await getTestEnv();
  });

  it('authenticates every admin route, whatever the case of its path', async () => {
    for (const path of ['/api/v1/clients', '/API/V1/CLIENTS', '/Api/V1/alert-rules', '/api/v1/alert-rules/']) {
      const response = await call(env.apiUrl, 'GET', path);
      assert.equal(response.status, 401, path);
      assert.equal(response.body.error.code, 'unauthorized', path);
    }
    const { token } = await env.createTenant('Router');
    assert.equal((await call(env.apiUrl, 'GET', '/API/V1/CLIENTS', { token })).status, 200);
  });

  it('answers 405 with Allow for a method a path does not serve, and 404 where no route is', async () => {
    const { token } = await env.createTenant('Router methods');
    const patch = await call(env.apiUrl, 'PATCH', '/api/v1/clients', { token });
    assert.equal(patch.status, 405);
    assert.deepEqual(patch.headers.get('allow')?.split(', ').sort(), ['GET', 'HEAD', 'POST']);
    assert.equal((await call(env.apiUrl, 'GET', '/api/v1/nothing-here')).status, 404);
    assert.equal((await call(env.apiUrl, 'GET', '/api/v1')).status, 404);
  });
});
