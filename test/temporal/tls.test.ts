// Temporal over TLS, mTLS and with an API key, configured only through loadConfig. The suite's
// real dev server sits behind a TLS terminator (the CLI's start-dev has no TLS flags) that holds a
// certificate from a CA made for this run and, for mTLS, demands a client certificate from it.
// An API and a worker built by the production wiring (openServices, startWorker, createApp) run a
// real test-connection through it; leaving out the CA, the server name or the client certificate
// fails with an error that names the setting to fix.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../api/app';
import { loadConfig, requireProductionSettings } from '../../config/config';
import { createLogger } from '../../config/logger';
import { createTenantWithToken } from '../../db/tenants';
import { startLevelSimulator } from '../../simulator';
import { openServices } from '../../runtime/services';
import { generateMasterKey } from '../../security/secret-box';
import { TemporalGateway } from '../../temporal/connection';
import { startWorker, stopWorker } from '../../worker/run-worker';
import { apiAs, serveApp } from '../support/http';
import { getTestEnv, onSdkLog, type TestEnv } from '../support/test-env';
import { createThrowawayPki, type ThrowawayPki } from './throwaway-ca';
import { startTlsTerminator, type TlsTerminator } from './tls-terminator';

const SERVER_NAME = 'temporal.test';

describe('Temporal connection security', function () {
  this.timeout(60_000);
  let env: TestEnv;
  let pki: ThrowawayPki;
  let terminator: TlsTerminator;
  const cleanups: Array<() => Promise<void> | void> = [];

  before(async () => {
    [env, pki] = await Promise.all([getTestEnv(), createThrowawayPki(SERVER_NAME)]);
    terminator = await startTlsTerminator({
      upstream: env.config.temporalAddress!,
      cert: readFileSync(pki.serverCert),
      key: readFileSync(pki.serverKey),
      clientCa: readFileSync(pki.caCert),
    });
  });

  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });

  after(async () => {
    await terminator?.close();
    pki?.remove();
  });

  /** The environment of a process that reaches Temporal through the terminator with mTLS. */
  function mtlsEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
    return {
      DATABASE_URL: env.config.databaseUrl,
      TEMPORAL_ADDRESS: terminator.address,
      TEMPORAL_TASK_QUEUE: `level-tls-${randomBytes(3).toString('hex')}`,
      MASTER_KEY: generateMasterKey(),
      LEVEL_ALLOWED_HOSTS: '127.0.0.1',
      TEMPORAL_TLS_CA: pki.caCert,
      TEMPORAL_TLS_CERT: pki.clientCert,
      TEMPORAL_TLS_KEY: pki.clientKey,
      TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
      ...overrides,
    };
  }

  function gatewayFor(environment: NodeJS.ProcessEnv): TemporalGateway {
    const config = loadConfig(environment);
    const gateway = new TemporalGateway(config.temporalAddress!, config.temporalNamespace, config.temporalSecurity);
    cleanups.push(() => gateway.close());
    return gateway;
  }

  it('runs a test-connection through an API and a worker configured with TEMPORAL_TLS_* (mTLS) and an API key', async () => {
    const apiKey = `tk_${randomBytes(24).toString('base64url')}`;
    const config = loadConfig(mtlsEnv({ TEMPORAL_API_KEY: apiKey }));
    requireProductionSettings(config);
    const logger = createLogger('silent', 'tls');
    const services = await openServices(config, logger);
    cleanups.push(() => services.close());
    const worker = await startWorker(services, config, logger);
    cleanups.push(() => stopWorker(worker));
    const served = await serveApp(createApp({ ...services, logger, config }));
    cleanups.push(() => served.close());
    const simulator = await startLevelSimulator({ fleet: { seed: 3, groups: 2, depth: 1, devices: 2 } });
    cleanups.push(() => simulator.close());

    const tenant = await createTenantWithToken(services.orm.em.fork(), 'tls tenant');
    const api = apiAs(served.url, tenant.token);
    assert.equal(
      (await api.put('/api/v1/integrations/level', { apiKey: simulator.apiKey, baseUrl: simulator.url })).status,
      200,
    );
    const run = await api.post('/api/v1/integrations/level/test-connection?wait=true');
    assert.equal(run.status, 200, JSON.stringify(run.body));
    assert.equal(run.body.result.ok, true, JSON.stringify(run.body));
    assert.deepEqual(terminator.refusedHandshakes, []);
    // Only the TLS worker polls this queue; the description comes through the TLS client.
    const described = await (await services.temporal.getClient()).workflow.getHandle(run.body.workflowId).describe();
    assert.equal(described.taskQueue, config.taskQueue);
  });

  it('fails with an error naming TEMPORAL_TLS_CA when the server certificate is not trusted', async () => {
    const gateway = gatewayFor(mtlsEnv({ TEMPORAL_TLS_CA: '' }));
    await assert.rejects(gateway.connection(), (err: Error) => {
      assert.equal(err.name, 'TransportError');
      assert.match(err.message, /not signed by a trusted CA: set TEMPORAL_TLS_CA/);
      assert.match(err.message, /UnknownIssuer/);
      return true;
    });
    assert.equal(await gateway.isReachable(2000), false);
  });

  it('checks the server name: 127.0.0.1 is not in the certificate unless TEMPORAL_TLS_SERVER_NAME names it', async () => {
    await assert.rejects(
      gatewayFor(mtlsEnv({ TEMPORAL_TLS_SERVER_NAME: '' })).connection(),
      /does not carry the host name of TEMPORAL_ADDRESS: set TEMPORAL_TLS_SERVER_NAME/,
    );
    await assert.rejects(
      gatewayFor(mtlsEnv({ TEMPORAL_TLS_SERVER_NAME: 'other.test' })).connection(),
      /TEMPORAL_TLS_SERVER_NAME/,
    );
  });

  it('is refused by an mTLS server without a client certificate', async () => {
    const refusedBefore = terminator.refusedHandshakes.length;
    // With TLS 1.3 the server refuses after the client's half of the handshake, so the client
    // reads either the server's "certificate required" alert (then the hint names the settings)
    // or, on a loaded machine, a reset: the server's own record is what proves the refusal.
    await assert.rejects(
      gatewayFor(mtlsEnv({ TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '' })).connection(),
      (err: Error) =>
        /certificate required/i.test(err.message)
          ? /wants one: set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/.test(err.message)
          : true,
    );
    const deadline = Date.now() + 5000;
    while (
      !terminator.refusedHandshakes.slice(refusedBefore).some((m) => /peer did not return a certificate/.test(m)) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(terminator.refusedHandshakes.slice(refusedBefore).join('\n'), /peer did not return a certificate/);
  });

  it('is refused in plaintext by a TLS server', async () => {
    const plain = { TEMPORAL_TLS_CA: '', TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '', TEMPORAL_TLS_SERVER_NAME: '' };
    await assert.rejects(gatewayFor(mtlsEnv(plain)).connection(), /\(plaintext\)/);
  });

  it('sends TEMPORAL_API_KEY as a bearer token, over TLS, and keeps it out of errors and logs', async () => {
    // Temporal Cloud checks API keys; the dev server ignores them. This HTTP/2 server stands in
    // for Cloud's front door: it records the header and refuses, echoing the key back as a
    // careless proxy might.
    const apiKey = `tk_${randomBytes(24).toString('base64url')}`;
    const seen: Array<string | undefined> = [];
    const cloud = createSecureServer({ cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey) });
    cloud.on('stream', (stream, headers) => {
      seen.push(headers.authorization);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () =>
        stream.sendTrailers({ 'grpc-status': '16', 'grpc-message': `unknown key ${apiKey}` }),
      );
      stream.end();
    });
    await new Promise<void>((resolve) => cloud.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => cloud.close(() => resolve())));

    const address = `127.0.0.1:${(cloud.address() as AddressInfo).port}`;
    const gateway = gatewayFor(
      mtlsEnv({ TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '', TEMPORAL_API_KEY: apiKey }),
    );
    await assert.rejects(gateway.connection(), (err: Error) => {
      assert.match(err.message, /refused our credentials \(TEMPORAL_API_KEY/);
      assert.ok(!err.message.includes(apiKey), err.message);
      assert.match(err.message, /unknown key \[redacted\]/);
      return true;
    });
    assert.deepEqual(seen, [`Bearer ${apiKey}`]);

    // The API logs a run it could not start (Temporal refused us) with the error's message; the
    // SDK's own warnings are captured too.
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    cleanups.push(onSdkLog((entry) => lines.push(JSON.stringify(entry))));
    const served = await serveApp(
      createApp({ ...env.services, temporal: gateway, logger: createLogger('trace', 'tls', sink), config: env.config }),
    );
    cleanups.push(() => served.close());
    const tenant = await env.createTenant();
    const api = apiAs(served.url, tenant.token);
    assert.equal(
      (await api.put('/api/v1/integrations/level', { apiKey: 'lvk_unused', baseUrl: 'http://127.0.0.1:9' })).status,
      200,
    );
    const started = await api.post('/api/v1/integrations/level/test-connection');
    assert.equal(started.status, 503, JSON.stringify(started.body));
    assert.match(lines.join(''), /refused our credentials/, 'the refusal was logged');
    assert.ok(!lines.some((line) => line.includes(apiKey)), 'TEMPORAL_API_KEY never reaches a log line');
    assert.equal(seen.length, 2, 'the API tried Temporal again');
  });
});
