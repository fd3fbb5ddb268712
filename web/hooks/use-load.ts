// Loads data for a component and reloads it on demand; an answer that arrives after a newer
// request started is dropped, so a slow reply never overwrites a fresh one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<Error | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const value = await load();
      if (request === latest.current) {
        setData(() => value);
        setError(undefined);
      }
    } catch (err) {
      if (request === latest.current) setError(err as Error);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData: (value: T) => setData(() => value) };
}
