// A list that shows the first page and offers "Load more" when the server hands out a cursor
// (servers without pagination answer everything at once, and no button appears).
import { useState } from 'preact/hooks';
import { fetchPage } from '../api/lists';
import { useLoad } from './use-load';

/** `refresh`: more values that reload the first page when they change (e.g. a run that ended). */
export function usePagedList<T>(path: string, refresh: unknown[] = []) {
  const [more, setMore] = useState<{ items: T[]; nextCursor: string | null } | null>(null);
  const first = useLoad(async () => {
    setMore(null);
    return fetchPage<T>(path);
  }, [path, ...refresh]);
  const items = [...(first.data?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = async () => {
    if (!nextCursor) return;
    const page = await fetchPage<T>(path, nextCursor);
    setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
  };
  return { items, loaded: first.data !== undefined, error: first.error, nextCursor, loadMore, reload: first.reload };
}
