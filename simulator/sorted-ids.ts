// A set of ids that can hand out its members in id order. The sorted array is rebuilt lazily
// after a change, so bulk loading 100k devices costs one sort, and list pages can binary-search
// the cursor instead of scanning.

export class SortedIdSet {
  private readonly members = new Set<string>();
  private sortedCache: string[] | null = [];

  add(id: string): void {
    if (this.members.has(id)) return;
    this.members.add(id);
    this.sortedCache = null;
  }

  delete(id: string): void {
    if (this.members.delete(id)) this.sortedCache = null;
  }

  has(id: string): boolean {
    return this.members.has(id);
  }

  get size(): number {
    return this.members.size;
  }

  /** Members in UTF-16 code unit order, the same order `<` compares strings in. */
  sorted(): readonly string[] {
    this.sortedCache ??= [...this.members].sort();
    return this.sortedCache;
  }
}

export const EMPTY_IDS: readonly string[] = Object.freeze([]);

/** First index whose id is >= `id`. */
export function lowerBound(sorted: readonly string[], id: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index whose id is > `id`. */
export function upperBound(sorted: readonly string[], id: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) <= id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Adds `id` to the set stored under `key`, creating the set on first use. */
export function addToIndex<K>(index: Map<K, SortedIdSet>, key: K, id: string): void {
  let set = index.get(key);
  if (!set) {
    set = new SortedIdSet();
    index.set(key, set);
  }
  set.add(id);
}

/** Removes `id` from the set under `key`, dropping the set when it becomes empty. */
export function removeFromIndex<K>(index: Map<K, SortedIdSet>, key: K, id: string): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(id);
  if (set.size === 0) index.delete(key);
}

/**
 * Many small id lists under string keys (hostname, serial number): plain sorted arrays, since a
 * Set per key would cost far more memory across 100k devices than the lookups justify.
 */
export class SmallListIndex {
  private readonly lists = new Map<string, string[]>();

  add(key: string, id: string): void {
    const list = this.lists.get(key);
    if (!list) return void this.lists.set(key, [id]);
    const at = lowerBound(list, id);
    if (list[at] !== id) list.splice(at, 0, id);
  }

  delete(key: string, id: string): void {
    const list = this.lists.get(key);
    if (!list) return;
    const at = lowerBound(list, id);
    if (list[at] === id) list.splice(at, 1);
    if (list.length === 0) this.lists.delete(key);
  }

  sorted(key: string): readonly string[] {
    return this.lists.get(key) ?? EMPTY_IDS;
  }
}
