// The entities declare the schema the migrations create: on a database migrated with the committed
// migrations, MikroORM's schema diff (what `schema:update` would run) is empty, apart from the
// allow-list below. An index, unique, check, column or table added by a migration and not declared
// in db/entities/ fails this test.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createScratchDatabase, dropScratchDatabase } from '../../db/scratch-database';
import { migrateToLatest, openOrm, type Orm } from '../../db/orm';
import { getTestEnv } from '../support/test-env';

describe('entities match the migrations', function () {
  this.timeout(120_000);
  let serverUrl: string;
  let name: string;
  let orm: Orm | undefined;

  // A database of its own, migrated as the test env's is (on the same server): the shared one
  // also holds what other suites created in it (test/alerts/routing-activities.test.ts adds a table).
  before(async () => {
    serverUrl = (await getTestEnv()).config.databaseUrl!;
    name = `levelsync_schema_${process.pid}_${randomBytes(3).toString('hex')}`;
    orm = await openOrm(await createScratchDatabase(serverUrl, name));
    await migrateToLatest(orm);
  });

  after(async () => {
    await orm?.close();
    if (name) await dropScratchDatabase(serverUrl, name);
  });

  /** The foreign keys the migrations created, as the diff would drop them. */
  async function foreignKeyDrops(db: Orm): Promise<Set<string>> {
    const rows = await db.em.getConnection().execute<Array<{ table: string; name: string }>>(
      `select c.relname as "table", k.conname as "name" from pg_constraint k
         join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
       where k.contype = 'f' and n.nspname = current_schema()`,
    );
    return new Set(rows.map((fk) => `alter table "${fk.table}" drop constraint "${fk.name}";`));
  }

  it('leaves nothing for schema:update to change but the allow-listed statements', async () => {
    const db = orm!;
    const foreignKeys = await foreignKeyDrops(db);
    const allowList: Array<{ reason: string; allows: (statement: string) => boolean }> = [
      {
        reason: 'MikroORM declares a foreign key only on a relation; the entities keep plain id properties',
        allows: (statement) => foreignKeys.has(statement),
      },
    ];

    const sql = await db.schema.getUpdateSchemaSQL({ wrap: false });
    const statements = sql
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    assert.ok(foreignKeys.size > 0, 'the migrations create foreign keys (the allow-list is not vacuous)');
    assert.deepEqual(
      statements.filter((statement) => !allowList.some(({ allows }) => allows(statement))),
      [],
      'declare these in db/entities/ (see the migrations)',
    );
  });
});
