// Walks a Level list across pages. Level's pagination is cursor based (`starting_after` = id of
// the last item) and driven by `has_more`; a buggy server or proxy could hand back the same page
// forever, so a repeated cursor and a runaway page count both stop the walk with an error.
import { LevelPaginationError } from './errors';

export interface LevelPage<T> {
  data: T[];
  hasMore: boolean;
  /** Id of the last item when `hasMore`, else null: pass it as `startingAfter`. */
  nextCursor: string | null;
}

/** Default runaway guard: 100000 pages of 100 is ten million items, far beyond any fleet. */
export const DEFAULT_MAX_PAGES = 100_000;

/** Builds a page from Level's `{data, has_more}` body. */
export function toPage<T extends { id: string }>(data: T[], hasMore: boolean): LevelPage<T> {
  const last = data[data.length - 1];
  return { data, hasMore, nextCursor: hasMore && last ? last.id : null };
}

/** Yields every item of every page, starting after `startingAfter` when given. */
export async function* paginate<T>(
  fetchPage: (startingAfter: string | undefined) => Promise<LevelPage<T>>,
  options: { maxPages?: number; startingAfter?: string } = {},
): AsyncGenerator<T, void, undefined> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let cursor = options.startingAfter;
  for (let pageNumber = 1; ; pageNumber += 1) {
    const page = await fetchPage(cursor);
    yield* page.data;
    if (!page.hasMore) return;
    cursor = nextCursorOf(page, seen);
    if (pageNumber >= maxPages) {
      throw new LevelPaginationError(`Level kept reporting more pages after ${maxPages} pages; stopping`);
    }
  }
}

function nextCursorOf<T>(page: LevelPage<T>, seen: Set<string>): string {
  if (page.nextCursor === null) {
    throw new LevelPaginationError('Level reported more pages but returned no items to continue from');
  }
  if (seen.has(page.nextCursor)) {
    throw new LevelPaginationError('Level returned a page cursor it had already returned; stopping to avoid a loop');
  }
  seen.add(page.nextCursor);
  return page.nextCursor;
}
