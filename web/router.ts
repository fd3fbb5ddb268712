// Pages live in the URL's fragment (#/rules, #/tickets/<id>), so the service serves only `/`,
// reloads and the browser's back button work, and nothing secret is ever part of the URL.
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  page: string;
  /** The segment after the page, e.g. a ticket id. */
  id: string | undefined;
}

export function parseRoute(hash: string): Route {
  const [page, id] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  return { page: page || 'level', id: id || undefined };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function href(page: string, id?: string): string {
  return id ? `#/${page}/${encodeURIComponent(id)}` : `#/${page}`;
}
