// When PostgreSQL or Temporal does not answer, requests get 503 naming it and /readyz says which.
import assert from 'node:assert/strict';
import { MikroORM } from '@mikro-orm/postgresql';
import { createApp } from '../../api/app';
import { createOrmConfig } from '../../db/mikro-orm.config';
import { freePort } from '../../devserver/free-port';
import { TemporalGateway } from '../../temporal/connection';
import { apiAs, call, serveApp, type ServedApp } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

describe('dependencies down', function () {
  this.timeout(60_000);
  let env: TestEnv;
  const served: ServedApp[] = [];

  before(async () => {
    env = await getTestEnv();
  });

  after(async () => {
    for (const app of served) await app.close();
  });

  async function serve(app: ReturnType<typeof createApp>): Promise<string> {
    const running = await serveApp(app);
    served.push(running);
    return running.url;
  }

  it('answers 503 naming Temporal when it is unreachable', async () => {
    const deadTemporal = new TemporalGateway(`127.0.0.1:${await freePort()}`, 'default');
    const url = await serve(
      createApp({ ...env.services, temporal: deadTemporal, logger: env.logger, config: env.config }),
    );
    const ready = await call(url, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body.checks, { database: 'ok', temporal: 'down' });
    assert.match(ready.body.error.message, /temporal/);

    const tenant = await env.createTenant();
    const api = apiAs(url, tenant.token);
    await api.put('/api/v1/integrations/level', { apiKey: 'lvk_some-key-1234', baseUrl: 'http://127.0.0.1:9' });
    const started = await api.post('/api/v1/integrations/level/test-connection');
    assert.equal(started.status, 503);
    assert.equal(started.body.error.code, 'temporal_unavailable');
    await deadTemporal.close();
  });

  it('answers 503 naming the database when it is unreachable', async () => {
    const deadOrm = await MikroORM.init(
      createOrmConfig(`postgres://postgres@127.0.0.1:${await freePort()}/none`, {
        connect: false,
        pool: { min: 0, max: 1, acquireTimeoutMillis: 2000 },
      }),
    );
    const url = await serve(createApp({ ...env.services, orm: deadOrm, logger: env.logger, config: env.config }));
    const ready = await call(url, 'GET', '/readyz');
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body.checks, { database: 'down', temporal: 'ok' });

    const tenant = await env.createTenant();
    const response = await call(url, 'GET', '/api/v1/clients', { token: tenant.token });
    assert.equal(response.status, 503);
    assert.equal(response.body.error.code, 'database_unavailable');
    assert.ok(!JSON.stringify(response.body).includes('127.0.0.1'), 'no connection details leak');
    await deadOrm.close(true);
  });
});
