// Lists (api.md, "Lists"): `?limit=` (default 100, at most 500) and an opaque `?cursor=`, answered
// with `nextCursor` (null on the last page). Pages are keyset pages over a total order (its last
// key is unique), so rows added or removed between two calls never shift a page: nothing is
// skipped or shown twice. The cursor is MikroORM's (base64url of the last row's order values); a
// cursor that does not decode to values of that shape is a 400, never a query.
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { z } from 'zod';
import { ApiError } from './errors';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  cursor: z.string().max(2048).optional(),
});

export type PageRequest = z.infer<typeof pageQuery>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Order = Record<string, 'asc' | 'desc'>;

/** One page of rows in `orderBy` order; `orderBy` must end with a unique key (the id). */
export async function findPage<E extends object>(
  em: EntityManager,
  entity: EntityName<E>,
  where: FilterQuery<E>,
  orderBy: Order,
  page: PageRequest,
): Promise<Page<E>> {
  if (page.cursor !== undefined) checkCursor(page.cursor, Object.keys(orderBy).length);
  const cursor = await em.findByCursor(entity, where, {
    first: page.limit,
    ...(page.cursor === undefined ? {} : { after: page.cursor }),
    orderBy: orderBy as never,
    includeCount: false,
  });
  return { items: [...cursor.items] as E[], nextCursor: cursor.hasNextPage ? cursor.endCursor : null };
}

/** A page of a list already in memory, in its order (e.g. groups in tree order), keyed by `keyOf`. */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, page: PageRequest): Page<T> {
  let start = 0;
  if (page.cursor !== undefined) {
    const [lastKey] = checkCursor(page.cursor, 1);
    start = items.findIndex((item) => keyOf(item) === lastKey) + 1;
    if (start === 0)
      throw invalidCursor('The item this cursor continues after no longer exists; start from the first page');
  }
  const slice = items.slice(start, start + page.limit);
  const more = start + page.limit < items.length;
  return { items: slice, nextCursor: more ? encodeCursor([keyOf(slice[slice.length - 1]!)]) : null };
}

function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The cursor's values: a JSON array of `length` strings or numbers, else 400. */
function checkCursor(cursor: string, length: number): Array<string | number> {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor('Not a cursor this API returned');
  }
  const valid =
    Array.isArray(values) &&
    values.length === length &&
    values.every((value) => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)));
  if (!valid) throw invalidCursor('Not a cursor this API returned');
  return values as Array<string | number>;
}

function invalidCursor(message: string): ApiError {
  return new ApiError(400, 'invalid_request', `Invalid query: cursor`, { fields: [{ field: 'cursor', message }] });
}
