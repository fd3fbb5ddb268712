// The admin CLI creates a tenant whose printed token works against the API.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { apiAs } from '../support/http';
import { getTestEnv, type TestEnv } from '../support/test-env';

const run = promisify(execFile);

describe('admin CLI', function () {
  this.timeout(60_000);
  let env: TestEnv;

  before(async () => {
    env = await getTestEnv();
  });

  const admin = (args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'bin/admin.ts', ...args], {
      env: { ...process.env, DATABASE_URL: env.config.databaseUrl },
    });

  it('prints exactly one JSON line with a working token', async () => {
    const { stdout } = await admin(['tenant:create', 'CLI', 'Tenant', '--json']);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const created = JSON.parse(lines[0]!) as { tenantId: string; token: string };
    assert.deepEqual(Object.keys(created).sort(), ['tenantId', 'token']);
    const clients = await apiAs(env.apiUrl, created.token).get('/api/v1/clients');
    assert.equal(clients.status, 200);
    const row = await env.em().getKnex()('tenants').where({ id: created.tenantId }).first();
    assert.equal(row.name, 'CLI Tenant');
    const stored = await env.em().getKnex()('admin_tokens').where({ tenant_id: created.tenantId }).first();
    assert.notEqual(stored.token_hash, created.token, 'only the hash is stored');
  });

  it('explains its usage on bad arguments', async () => {
    await assert.rejects(
      admin(['tenant:create']),
      (err: { code: number; stderr: string }) => err.code === 2 && /usage: npm run admin/.test(err.stderr),
    );
  });
});
