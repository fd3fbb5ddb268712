// docker-compose.yml and `npm run cluster` / the fault matrix describe one production topology:
// the same Temporal server and UI versions, the same SQL plugin, the same entry points and the
// settings those entry points require. (No Docker engine runs here, so what can be compared is
// compared; the file is read as text, like compose-ports.test.ts.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SQL_PLUGIN, TEMPORAL_SERVER_VERSION, TEMPORAL_UI_VERSION } from '../../devserver/temporal-cluster';

const ROOT = join(__dirname, '..', '..');
const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
  .scripts;

describe('docker-compose.yml matches the cluster the tests run', () => {
  it('runs the same Temporal server and UI versions', () => {
    assert.match(
      compose,
      new RegExp(`image: temporalio/auto-setup:${TEMPORAL_SERVER_VERSION.slice(1).replace(/\./g, '\\.')}\\s`),
    );
    assert.match(compose, new RegExp(`image: temporalio/ui:${TEMPORAL_UI_VERSION.slice(1).replace(/\./g, '\\.')}\\s`));
  });

  it('keeps Temporal on PostgreSQL with the same SQL plugin', () => {
    assert.match(compose, new RegExp(`DB: ${SQL_PLUGIN}\\s`));
  });

  it('starts the API and the worker with the entry points the fault matrix runs', () => {
    assert.match(compose, /npm run start:api/);
    assert.match(compose, /npm run start:worker/);
    assert.match(scripts['start:api'] ?? '', /api\/main\.ts/);
    assert.match(scripts['start:worker'] ?? '', /worker\/main\.ts/);
  });

  it('gives the app the settings the production entry points require', () => {
    for (const setting of [
      'DATABASE_URL',
      'TEMPORAL_ADDRESS',
      'MASTER_KEY',
      'TEMPORAL_TASK_QUEUE',
      'TEMPORAL_NAMESPACE',
    ]) {
      assert.match(compose, new RegExp(`^ {2}${setting}: `, 'm'), setting);
    }
  });
});
