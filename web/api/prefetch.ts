// A request started early (the Level page asks for everything at once instead of waiting for
// the integration before asking for its groups and webhook), handed to the first load that
// wants it; later loads fetch afresh.
export function firstFrom<T>(prefetched: Promise<T>, load: () => Promise<T>): () => Promise<T> {
  let early: Promise<T> | undefined = prefetched;
  prefetched.catch(() => undefined); // its failure is reported by the load that takes it, if any
  return () => {
    const next = early ?? load();
    early = undefined;
    return next;
  };
}
