// Cursor pagination over an id-sorted list, as Level does it: `starting_after` / `ending_before`
// name an item id, `has_more` says whether more matching items lie beyond the page in the
// direction of travel. The cursor is located by binary search, and need not still exist (an
// item deleted between pages must not break the walk).
import { lowerBound, upperBound } from './sorted-ids';

export interface PageRequest {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
}

export interface IdPage {
  ids: string[];
  hasMore: boolean;
}

export function pageOfIds(
  sorted: readonly string[],
  request: PageRequest,
  accept: (id: string) => boolean = () => true,
): IdPage {
  if (request.endingBefore !== undefined) return pageBackward(sorted, request.endingBefore, request.limit, accept);
  const start = request.startingAfter === undefined ? 0 : upperBound(sorted, request.startingAfter);
  return pageForward(sorted, start, request.limit, accept);
}

function pageForward(sorted: readonly string[], start: number, limit: number, accept: (id: string) => boolean): IdPage {
  const ids: string[] = [];
  let index = start;
  for (; index < sorted.length && ids.length < limit; index += 1) {
    const id = sorted[index] as string;
    if (accept(id)) ids.push(id);
  }
  return { ids, hasMore: anyMatch(sorted, index, sorted.length, 1, accept) };
}

/** The `limit` matching items just before the cursor, still returned in ascending order. */
function pageBackward(
  sorted: readonly string[],
  cursor: string,
  limit: number,
  accept: (id: string) => boolean,
): IdPage {
  const ids: string[] = [];
  let index = lowerBound(sorted, cursor) - 1;
  for (; index >= 0 && ids.length < limit; index -= 1) {
    const id = sorted[index] as string;
    if (accept(id)) ids.push(id);
  }
  return { ids: ids.reverse(), hasMore: anyMatch(sorted, index, -1, -1, accept) };
}

function anyMatch(
  sorted: readonly string[],
  from: number,
  to: number,
  step: 1 | -1,
  accept: (id: string) => boolean,
): boolean {
  for (let index = from; index !== to; index += step) {
    if (accept(sorted[index] as string)) return true;
  }
  return false;
}
