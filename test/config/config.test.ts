// Typed configuration: validated once at start-up, with a clear error naming what is wrong.
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../config/config';

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
    for (const env of [{ WORKER_NICENESS: '20' }, { WORKER_NICENESS: '-1' }, { WORKER_MAX_CACHED_WORKFLOWS: '0' }, { LEVEL_REQUESTS_PER_MINUTE: 'lots' }, { LEVEL_ALLOWED_HOSTS: 'https://api.level.io/' }, { LEVEL_ALLOWED_HOSTS: ' , ' }]) {
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && err.message.includes(Object.keys(env)[0]!), JSON.stringify(env));
    }
  });
});
