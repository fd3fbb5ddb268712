// Derived, cached views of the group tree: subtree device lists (for `ancestor_group_id`) and
// descendent device counts. Both are recomputed lazily after any change to the tree or to
// device membership, so paging a subtree of a 100k fleet costs one sort, then binary searches.

/** What the cache needs to read from the fleet. */
export interface TreeReader {
  childIds(groupId: string): readonly string[];
  directDeviceIds(groupId: string): readonly string[];
}

export class SubtreeCache {
  private readonly subtreeDevices = new Map<string, readonly string[]>();
  private readonly descendentCounts = new Map<string, number>();

  constructor(private readonly tree: TreeReader) {}

  /** Call after any group move/add/delete or device membership change. */
  invalidate(): void {
    this.subtreeDevices.clear();
    this.descendentCounts.clear();
  }

  /** The group itself and every group below it. */
  subtreeGroupIds(groupId: string): string[] {
    const out: string[] = [];
    const stack = [groupId];
    while (stack.length > 0) {
      const current = stack.pop() as string;
      out.push(current);
      stack.push(...this.tree.childIds(current));
    }
    return out;
  }

  /** Sorted ids of devices directly in the group or anywhere below it. */
  subtreeDeviceIds(groupId: string): readonly string[] {
    let cached = this.subtreeDevices.get(groupId);
    if (!cached) {
      cached = this.subtreeGroupIds(groupId)
        .flatMap((id) => this.tree.directDeviceIds(id))
        .sort();
      this.subtreeDevices.set(groupId, cached);
    }
    return cached;
  }

  descendentDeviceCount(groupId: string): number {
    const cached = this.descendentCounts.get(groupId);
    if (cached !== undefined) return cached;
    let total = this.tree.directDeviceIds(groupId).length;
    for (const child of this.tree.childIds(groupId)) total += this.descendentDeviceCount(child);
    this.descendentCounts.set(groupId, total);
    return total;
  }
}
