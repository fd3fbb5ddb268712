// Opening the ORM and applying migrations. Several processes (API, workers, the admin CLI) may
// start together, and MikroORM 6's migrator takes no lock, so migrations run under a
// PostgreSQL advisory lock held on one dedicated connection.
import { MikroORM } from '@mikro-orm/postgresql';
import { createOrmConfig } from './mikro-orm.config';

export type Orm = MikroORM;

/** Arbitrary but fixed: identifies "schema migration" among advisory locks. */
const MIGRATION_LOCK_KEY = 4_216_001;

export async function openOrm(databaseUrl: string): Promise<Orm> {
  return MikroORM.init(createOrmConfig(databaseUrl));
}

export async function migrateToLatest(orm: Orm): Promise<string[]> {
  const knex = orm.em.getConnection().getKnex();
  return knex.transaction(async (trx) => {
    // A transaction-scoped lock is released on commit or rollback, even if this process dies.
    await trx.raw('select pg_advisory_xact_lock(?)', [MIGRATION_LOCK_KEY]);
    const migrator = orm.getMigrator();
    const applied = await migrator.up({ transaction: trx });
    return applied.map((m) => m.name);
  });
}
