// MikroORM configuration shared by the service, the tests and the MikroORM CLI (which reads the
// default export, so `npm run migration:create` diffs the entities against DATABASE_URL).
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities';
import { migrationsList } from './migrations';

export function createOrmConfig(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: `${__dirname}/migrations`,
      pathTs: `${__dirname}/migrations`,
      migrationsList,
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
    },
    pool: { min: 0, max: 10 },
    // Queries are logged by our own logger where it matters; never by the ORM (values could be secrets).
    debug: false,
    ...overrides,
  });
}

export default createOrmConfig(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
