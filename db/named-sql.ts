// Statements whose values are bound by name (`:tenantId`), not by position: a name cannot drift
// out of step with its column the way the twelfth of twenty-one `?` can.
import type { Knex } from '@mikro-orm/knex';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The statement with its values bound by name, run through the EntityManager (so in the caller's
 * transaction, when there is one). knex turns each `:name` into a positional `?` (a `::type` cast
 * after it is left alone) and MikroORM then inlines the values as it does for `em.execute(sql,
 * [values])`: PostgreSQL receives the same text either way. A name without a value is an error
 * (knex's, before anything is sent), not a null.
 */
export function named(em: EntityManager, sql: string, values: Record<string, Knex.Value>): Knex.Raw {
  return em.getKnex().raw(sql, values);
}
