// METRICS_PORT, METRICS_TOKEN and WORKER_METRICS_PORT: validated once, the token never echoed.
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../config/config';
import { levelOperation } from '../../metrics/level-metrics';

describe('metrics settings', () => {
  it('serves /metrics on the API port, without a token, and the worker on 9464 by default', () => {
    const config = loadConfig({});
    assert.equal(config.metricsPort, undefined);
    assert.equal(config.metricsToken, undefined);
    assert.equal(config.workerMetricsPort, 9464);
    assert.equal(loadConfig({ METRICS_PORT: '' }).metricsPort, undefined);
  });

  it('reads the ports and the token', () => {
    const config = loadConfig({
      METRICS_PORT: '9100',
      METRICS_TOKEN: 'a-long-enough-token',
      WORKER_METRICS_PORT: '9101',
    });
    assert.equal(config.metricsPort, 9100);
    assert.equal(config.metricsToken, 'a-long-enough-token');
    assert.equal(config.workerMetricsPort, 9101);
  });

  it('refuses a bad port or a weak token without quoting the token', () => {
    assert.throws(
      () => loadConfig({ METRICS_PORT: '3000' }),
      (err: Error) => err instanceof ConfigError && /METRICS_PORT: must differ from PORT/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ METRICS_PORT: 'abc' }),
      (err: Error) => err instanceof ConfigError && /METRICS_PORT/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ WORKER_METRICS_PORT: '70000' }),
      (err: Error) => err instanceof ConfigError && /WORKER_METRICS_PORT/.test(err.message),
    );
    assert.throws(
      () => loadConfig({ METRICS_TOKEN: 'short-secret' }),
      (err: Error) =>
        err instanceof ConfigError && /METRICS_TOKEN/.test(err.message) && !err.message.includes('short-secret'),
    );
    assert.throws(
      () => loadConfig({ METRICS_TOKEN: 'has a space in the token' }),
      (err: Error) => err instanceof ConfigError && !err.message.includes('space in'),
    );
  });
});

describe('tracing settings', () => {
  it('turns tracing on only with an http(s) OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    assert.equal(loadConfig({}).otlpEndpoint, undefined);
    assert.equal(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).otlpEndpoint,
      'http://collector:4318',
    );
    assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT/);
  });
});

describe('Level operation labels', () => {
  it('keep the path template, never an id or a query', () => {
    assert.equal(levelOperation('GET', '/v2/devices'), 'GET /v2/devices');
    assert.equal(levelOperation('GET', '/v2/devices/abc%2F1'), 'GET /v2/devices/:id');
    assert.equal(levelOperation('POST', '/v2/alerts/al%2B1/resolve'), 'POST /v2/alerts/:id/resolve');
    assert.equal(levelOperation('GET', '/v2/groups?limit=100'), 'GET /v2/groups');
  });
});
