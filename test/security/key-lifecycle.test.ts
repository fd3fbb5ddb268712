// Token and key lifecycle, end to end: admin tokens created, listed and revoked with the admin CLI
// (expired and revoked ones get 401), a sealed secret copied into another column does not reveal
// itself, and master-key:rotate re-seals every secret while MASTER_KEY_PREVIOUS opens the old ones.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { integrationSecret } from '../../db/integration-secrets';
import { saveIntegration } from '../../db/integration-store';
import { migrateToLatest, openOrm } from '../../db/orm';
import { createScratchDatabase, dropScratchDatabase } from '../../db/scratch-database';
import { resealIntegrationSecrets } from '../../db/secret-reseal';
import { createTenantWithToken } from '../../db/tenants';
import { createSecretBox, generateMasterKey, parseMasterKey } from '../../security/secret-box';
import { apiAs } from '../support/http';
import { sealV1 } from '../support/sealed-v1';
import { getTestEnv, type TestEnv } from '../support/test-env';

const run = promisify(execFile);
const BASE = '/api/v1/integrations/level';

describe('Security: token and key lifecycle', function () {
  this.timeout(90_000);
  let env: TestEnv;

  before(async () => {
    env = await getTestEnv();
  });

  const admin = (args: string[], extraEnv: Record<string, string> = {}) =>
    run(process.execPath, ['--import', 'tsx', 'bin/admin.ts', ...args], {
      env: { ...process.env, DATABASE_URL: env.config.databaseUrl, ...extraEnv },
    });

  it('creates named, expiring tokens, lists them without the secret, and revokes them', async () => {
    const tenant = await env.createTenant();
    const created = JSON.parse(
      (await admin(['token:create', tenant.tenantId, '--name', 'ci deploy', '--expires', '30d', '--json'])).stdout,
    ) as { tokenId: string; token: string; expiresAt: string };
    const expiresInDays = (Date.parse(created.expiresAt) - Date.now()) / 86_400_000;
    assert.ok(expiresInDays > 29.9 && expiresInDays <= 30, String(expiresInDays));
    const api = apiAs(env.apiUrl, created.token);
    assert.equal((await api.get('/api/v1/clients')).status, 200);

    const { stdout } = await admin(['token:list', tenant.tenantId, '--json']);
    assert.ok(!stdout.includes(created.token) && !stdout.includes(tenant.token), 'tokens are never listed');
    const listed = JSON.parse(stdout) as Array<{
      id: string;
      name: string | null;
      lastUsedAt: string | null;
      expiresAt: string | null;
    }>;
    const mine = listed.find((token) => token.id === created.tokenId)!;
    assert.equal(mine.name, 'ci deploy');
    assert.equal(mine.expiresAt, created.expiresAt);
    assert.ok(mine.lastUsedAt, 'the request above was recorded');
    assert.equal(listed.length, 2, "the tenant's first token and this one");

    assert.match((await admin(['token:revoke', created.tokenId])).stdout, /Revoked/);
    const revoked = await api.get('/api/v1/clients');
    assert.equal(revoked.status, 401);
    assert.equal(revoked.body.error.code, 'unauthorized');
    assert.equal(
      (await apiAs(env.apiUrl, tenant.token).get('/api/v1/clients')).status,
      200,
      'the other token still works',
    );
    await assert.rejects(admin(['token:revoke', created.tokenId]), (err: { code: number }) => err.code === 1);
  });

  it('refuses an expired token', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    assert.equal((await api.get('/api/v1/clients')).status, 200);
    await env
      .em()
      .getKnex()('admin_tokens')
      .where({ tenant_id: tenant.tenantId })
      .update({ expires_at: new Date(Date.now() - 1000) });
    assert.equal((await api.get('/api/v1/clients')).status, 401);
    await assert.rejects(
      admin(['token:create', tenant.tenantId, '--expires', 'yesterday']),
      (err: { stderr: string }) => /--expires must be/.test(err.stderr),
    );
  });

  it('does not reveal an API key copied into the webhook secret column', async () => {
    const tenant = await env.createTenant();
    const api = apiAs(env.apiUrl, tenant.token);
    const apiKey = `lvk_${randomBytes(12).toString('hex')}`;
    assert.equal((await api.put(BASE, { apiKey })).status, 200);
    assert.equal((await api.get(`${BASE}/webhook?reveal=true`)).status, 200);
    const knex = env.em().getKnex();
    const row = await knex('level_integrations').where({ tenant_id: tenant.tenantId }).first();
    await knex('level_integrations').where({ id: row.id }).update({ webhook_secret_sealed: row.api_key_sealed });

    const revealed = await api.get(`${BASE}/webhook?reveal=true`);
    assert.equal(revealed.status, 500);
    assert.equal(revealed.body.error.code, 'secret_unreadable');
    assert.ok(!JSON.stringify(revealed.body).includes(apiKey), 'the API key is not revealed');
  });

  describe("on a database of its own (a rotation re-seals every tenant's secrets)", () => {
    let serverUrl: string;
    let name: string;
    let databaseUrl: string;

    before(async () => {
      const url = new URL(env.config.databaseUrl!);
      url.pathname = '/postgres';
      serverUrl = url.toString();
      name = `levelsync_keys_${randomBytes(3).toString('hex')}`;
      databaseUrl = await createScratchDatabase(serverUrl, name);
    });

    after(async () => {
      await dropScratchDatabase(serverUrl, name);
    });

    it('re-seals under MASTER_KEY what MASTER_KEY_PREVIOUS sealed, and upgrades v1 values', async () => {
      const [oldKey, newKey] = [generateMasterKey(), generateMasterKey()];
      const orm = await openOrm(databaseUrl);
      try {
        await migrateToLatest(orm);
        const em = orm.em.fork();
        const { tenantId } = await createTenantWithToken(em, 'Rotating');
        const saved = await saveIntegration(em, createSecretBox(parseMasterKey(oldKey)), tenantId, {
          apiKey: 'lvk_rotation-test-key',
          baseUrl: 'https://api.level.io',
        });
        // A webhook secret stored in the v1 format (no associated data), as before this change.
        await em.execute(`update "level_integrations" set "webhook_secret_sealed" = ? where "id" = ?`, [
          sealV1(parseMasterKey(oldKey), 'whs_from-v1'),
          saved.id,
        ]);

        const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bin/admin.ts', 'master-key:rotate'], {
          env: { ...process.env, DATABASE_URL: databaseUrl, MASTER_KEY: newKey, MASTER_KEY_PREVIOUS: oldKey },
        });
        assert.match(stdout, /Re-sealed 2 secret/);

        const [row] = await em.execute<Array<{ api_key_sealed: string; webhook_secret_sealed: string }>>(
          `select * from "level_integrations" where "id" = ?`,
          [saved.id],
        );
        const newOnly = createSecretBox(parseMasterKey(newKey));
        assert.equal(
          newOnly.open(row!.api_key_sealed, integrationSecret({ tenantId }, 'api_key_sealed')),
          'lvk_rotation-test-key',
        );
        assert.equal(
          newOnly.open(row!.webhook_secret_sealed, integrationSecret({ tenantId }, 'webhook_secret_sealed')),
          'whs_from-v1',
        );
        assert.throws(() =>
          createSecretBox(parseMasterKey(oldKey)).open(
            row!.api_key_sealed,
            integrationSecret({ tenantId }, 'api_key_sealed'),
          ),
        );
        assert.deepEqual(
          await resealIntegrationSecrets(em, newOnly, { legacyOnly: false }),
          { resealed: 0, current: 2 },
          'a second run has nothing to do',
        );
      } finally {
        await orm.close();
      }
    });
  });
});
