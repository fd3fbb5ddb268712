// List endpoints answer {items, nextCursor?}. The console works with or without pagination:
// it follows nextCursor where it needs everything (groups, clients) and offers "Load more"
// elsewhere. A cursor is sent only when the server handed one out.
import { get } from './client';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function fetchPage<T>(path: string, cursor?: string | null): Promise<Page<T>> {
  const url = cursor ? `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}` : path;
  const page = await get<{ items: T[]; nextCursor?: string | null }>(url);
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

/** Bounded, so a server that keeps answering the same cursor cannot loop the page forever. */
const MAX_PAGES = 200;

export async function fetchAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const next: Page<T> = await fetchPage<T>(path, cursor);
    items.push(...next.items);
    if (!next.nextCursor || next.nextCursor === cursor) break;
    cursor = next.nextCursor;
  }
  return items;
}
