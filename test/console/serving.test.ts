// The console is served by the service itself, with headers that forbid inline scripts, framing
// and sniffing; the API, webhook and health routes answer as before.
import assert from 'node:assert/strict';
import { call } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('console: serving', function () {
  this.timeout(60_000);
  let env: TestEnv;

  before(async () => {
    env = await getTestEnv();
  });

  it('serves index.html at / with the security headers, and its script and styles from the same origin', async () => {
    const page = await fetch(`${env.apiUrl}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const html = await page.text();
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(page.headers.get('referrer-policy'), 'no-referrer');
    // Only same-origin assets, and no inline script for the CSP to forbid.
    assert.doesNotMatch(html, /https?:\/\//);
    assert.doesNotMatch(html, /<script>(?!\s*<\/script>)/);
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(scripts, ['/console/app.js']);
    const script = await fetch(`${env.apiUrl}/console/app.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(script.headers.get('x-content-type-options'), 'nosniff');
    assert.ok((await script.text()).length > 1000);
  });

  it('answers a revalidation with 304 and its configuration without secrets', async () => {
    const first = await fetch(`${env.apiUrl}/console/app.css`);
    const etag = first.headers.get('etag')!;
    assert.ok(etag);
    const again = await fetch(`${env.apiUrl}/console/app.css`, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    const config = await call(env.apiUrl, 'GET', '/console/config.json');
    assert.equal(config.status, 200);
    assert.deepEqual(Object.keys(config.body).sort(), ['temporalNamespace', 'temporalUiUrl']);
    assert.equal(config.body.temporalUiUrl, env.config.temporalUiUrl);
  });

  it('leaves the API, webhook and health routes as they were', async () => {
    assert.equal((await call(env.apiUrl, 'GET', '/healthz')).body.status, 'ok');
    const unauthenticated = await call(env.apiUrl, 'GET', '/api/v1/clients');
    assert.equal(unauthenticated.status, 401);
    assert.equal(unauthenticated.body.error.code, 'unauthorized');
    assert.equal(unauthenticated.headers.get('content-security-policy'), null);
    const webhook = await call(env.apiUrl, 'POST', '/webhooks/level/unknown-id', { body: {} });
    assert.notEqual(webhook.status, 200);
    assert.equal(webhook.headers.get('content-security-policy'), null);
  });
});
