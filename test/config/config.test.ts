// Typed configuration: validated once at start-up, with a clear error naming what is wrong.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConfigError, loadConfig } from '../../config/config';
import { createThrowawayPki, type ThrowawayPki } from '../temporal/throwaway-ca';

describe('configuration', () => {
  it('gives the worker settings their defaults', () => {
    const config = loadConfig({});
    assert.equal(config.workerNiceness, 10);
    assert.equal(config.workerMaxCachedWorkflows, 500);
    assert.equal(config.levelRequestsPerMinute, 100);
  });

  it('allows only api.level.io as the Level host unless LEVEL_ALLOWED_HOSTS says otherwise', () => {
    assert.deepEqual(loadConfig({}).levelHosts.allowed, [{ host: 'api.level.io' }]);
    assert.deepEqual(loadConfig({ LEVEL_ALLOWED_HOSTS: 'level.example.com,127.0.0.1:4010' }).levelHosts.allowed, [
      { host: 'level.example.com' },
      { host: '127.0.0.1', port: 4010 },
    ]);
  });

  it('reads the worker settings', () => {
    const config = loadConfig({ WORKER_NICENESS: '0', WORKER_MAX_CACHED_WORKFLOWS: '50' });
    assert.equal(config.workerNiceness, 0);
    assert.equal(config.workerMaxCachedWorkflows, 50);
  });

  it('refuses values out of range, naming the setting', () => {
    for (const env of [
      { WORKER_NICENESS: '20' },
      { WORKER_NICENESS: '-1' },
      { WORKER_MAX_CACHED_WORKFLOWS: '0' },
      { LEVEL_REQUESTS_PER_MINUTE: 'lots' },
      { LEVEL_ALLOWED_HOSTS: 'https://api.level.io/' },
      { LEVEL_ALLOWED_HOSTS: ' , ' },
      { MASTER_KEY_PREVIOUS: 'too-short' },
    ]) {
      assert.throws(
        () => loadConfig(env),
        (err: unknown) => err instanceof ConfigError && err.message.includes(Object.keys(env)[0]!),
        JSON.stringify(env),
      );
    }
  });
});

describe('Temporal connection security settings', () => {
  let pki: ThrowawayPki;
  const apiKey = 'tk_SECRET-api-key-for-config-tests';

  before(async () => {
    pki = await createThrowawayPki('temporal.test');
  });

  after(() => pki?.remove());

  const mtls = () => ({
    TEMPORAL_TLS_CA: pki.caCert,
    TEMPORAL_TLS_CERT: pki.clientCert,
    TEMPORAL_TLS_KEY: pki.clientKey,
    TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
  });
  const refuses = (env: NodeJS.ProcessEnv, ...named: RegExp[]) =>
    assert.throws(
      () => loadConfig(env),
      (err: unknown) =>
        err instanceof ConfigError &&
        named.every((pattern) => pattern.test(err.message)) &&
        !err.message.includes(apiKey),
    );

  it('connects in plaintext without any of them', () => {
    const security = loadConfig({}).temporalSecurity;
    assert.deepEqual(security.connectionOptions(), {});
    assert.equal(security.tlsEnabled, false);
  });

  it('reads the CA, the client pair and the server name from files', () => {
    const { tls } = loadConfig(mtls()).temporalSecurity.connectionOptions();
    assert.deepEqual(tls, {
      serverRootCACertificate: readFileSync(pki.caCert),
      serverNameOverride: 'temporal.test',
      clientCertPair: { crt: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) },
    });
  });

  it('also takes PEM inline, with real or escaped newlines', () => {
    const ca = readFileSync(pki.caCert, 'utf8');
    for (const inline of [ca, ca.replace(/\n/g, '\\n')]) {
      const { tls } = loadConfig({ TEMPORAL_TLS_CA: inline }).temporalSecurity.connectionOptions();
      assert.equal(tls?.serverRootCACertificate?.toString().trim(), ca.trim());
    }
  });

  it('turns TLS on (with the system CAs) for an API key alone', () => {
    assert.deepEqual(loadConfig({ TEMPORAL_API_KEY: apiKey }).temporalSecurity.connectionOptions(), {
      tls: {},
      apiKey,
    });
  });

  it('wants the certificate and the key together', () => {
    refuses(
      { TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_API_KEY: apiKey },
      /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together/,
    );
    refuses({ TEMPORAL_TLS_KEY: pki.clientKey }, /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together/);
  });

  it('names the setting of a missing, unreadable or wrong file', () => {
    const missing = `${pki.dir}/missing.pem`;
    refuses(
      { ...mtls(), TEMPORAL_TLS_CA: missing, TEMPORAL_API_KEY: apiKey },
      /TEMPORAL_TLS_CA: cannot read .*missing\.pem \(ENOENT\)/,
    );
    refuses({ ...mtls(), TEMPORAL_TLS_KEY: pki.dir }, /TEMPORAL_TLS_KEY: cannot read .* \(EISDIR\)/);
    refuses(
      { ...mtls(), TEMPORAL_TLS_CERT: pki.clientKey },
      /TEMPORAL_TLS_CERT: .*client\.key is not a PEM certificate/,
    );
    refuses(
      { ...mtls(), TEMPORAL_TLS_KEY: pki.clientCert },
      /TEMPORAL_TLS_KEY: .*client\.pem is not an unencrypted PEM private key/,
    );
    refuses(
      { ...mtls(), TEMPORAL_TLS_KEY: pki.serverKey },
      /TEMPORAL_TLS_KEY is not the private key of the certificate in TEMPORAL_TLS_CERT/,
    );
    refuses({ TEMPORAL_TLS_SERVER_NAME: 'https://temporal.test/' }, /TEMPORAL_TLS_SERVER_NAME/);
  });

  it('keeps the API key and the private key out of errors and config dumps', () => {
    refuses({ TEMPORAL_API_KEY: `${apiKey} with spaces` }, /TEMPORAL_API_KEY: must be one line/);
    const config = loadConfig({ ...mtls(), TEMPORAL_API_KEY: apiKey });
    const privateKey = readFileSync(pki.clientKey, 'utf8').split('\n')[1]!;
    for (const dump of [JSON.stringify(config), inspect(config, { depth: Infinity, showHidden: true })]) {
      assert.ok(!dump.includes(apiKey), 'no API key');
      assert.ok(!dump.includes(privateKey), 'no private key');
      assert.match(dump, /"?apiKeyConfigured"?: ?true/);
    }
  });
});
