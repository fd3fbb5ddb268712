// Lists (api.md, "Lists"): `?limit=` (default 100, at most 500) and an opaque `?cursor=`, answered
// with `nextCursor` (null on the last page). Pages are keyset pages over a total order (its last
// key is unique), so rows added or removed between two calls never shift a page: nothing is
// skipped or shown twice. The cursor is base64url of the last row's order values as PostgreSQL
// writes them (text): a timestamp keeps its microseconds, which a JavaScript Date would cut to
// milliseconds (rows of one millisecond were then skipped, or shown twice). A cursor that does not
// decode to values of that shape is a 400, never a query.
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { EntityName } from '@mikro-orm/core';
import { z } from 'zod';
import { exactOrderValues } from '../db/exact-order-values';
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
  const after = page.cursor === undefined ? null : checkCursor(page.cursor, Object.keys(orderBy).length);
  const rows = await em.find(
    entity,
    after ? ({ $and: [where, afterValues(orderBy, after)] } as FilterQuery<E>) : where,
    {
      orderBy: orderBy as never,
      limit: page.limit + 1,
    },
  );
  const items = rows.slice(0, page.limit) as E[];
  const last = items[items.length - 1];
  const more = rows.length > page.limit && last !== undefined;
  return {
    items,
    nextCursor: more ? encodeCursor(await exactOrderValues(em, entity, Object.keys(orderBy), last)) : null,
  };
}

/** Rows after these order values: (k1, k2, …) beyond (v1, v2, …), each key in its own direction. */
function afterValues(orderBy: Order, values: Array<string | number>): FilterQuery<object> {
  const keys = Object.keys(orderBy);
  return {
    $or: keys.map((key, i) => ({
      ...Object.fromEntries(keys.slice(0, i).map((earlier, j) => [earlier, values[j]])),
      [key]: { [orderBy[key] === 'asc' ? '$gt' : '$lt']: values[i] },
    })),
  };
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
