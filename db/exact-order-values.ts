// A row's values of the keys a list is ordered by, as PostgreSQL writes them (text), for a keyset
// cursor (api/pagination.ts). Text keeps full precision: a timestamp read into a JavaScript Date
// loses its microseconds, and a cursor built from it skips (or repeats) rows of that millisecond.
import type { EntityKey, EntityName } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The values of `keys` (property names) of `row`, read again by its primary key. */
export async function exactOrderValues<E extends object>(
  em: EntityManager,
  entity: EntityName<E>,
  keys: string[],
  row: E,
): Promise<string[]> {
  const meta = em.getMetadata(entity);
  const column = (key: string) => `"${meta.properties[key as EntityKey<E>].fieldNames[0]}"`;
  const primaryKey = meta.primaryKeys[0]!;
  const selected = keys.map((key, i) => `${column(key)}::text as "v${i}"`).join(', ');
  const [values] = await em.execute<Array<Record<string, string>>>(
    `select ${selected} from "${meta.tableName}" where ${column(primaryKey)} = ?`,
    [(row as Record<string, unknown>)[primaryKey] as string],
  );
  return keys.map((_, i) => values![`v${i}`]!);
}
