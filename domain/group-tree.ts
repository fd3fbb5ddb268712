// Level group hierarchy with inherited group-to-client mappings.
//
// A group's *effective* client is its own active mapping, else the nearest active mapping of an
// ancestor (the deepest mapping wins). Removed groups (vanished from Level) keep their mapping
// for display, but it is inactive: it neither applies to them nor to their descendants.
//
// The input comes from an external system and may be inconsistent, so resolution never throws
// and never loops:
// - duplicate ids: the LAST occurrence wins (it is the most recent row a caller appended);
// - a parent id that is unknown, or the group's own id: the group is treated as a root;
// - a parent cycle: the member of the cycle with the smallest id (code-unit order) becomes a root.
// `parentId` in the output is the stored value as given; `depth` and `path` reflect the repaired
// tree.
// Everything runs in O(n log n) (the sort of siblings), iteratively, so deep chains cannot
// overflow the call stack.

export interface GroupNode {
  levelGroupId: string;
  parentId: string | null;
  name: string;
  mappedClientId: string | null;
  removed: boolean;
}

export interface ResolvedGroup extends GroupNode {
  /** Names from the root down to this group, joined with ` / `. */
  path: string;
  /** 0 for a root. */
  depth: number;
  /** The client this group's devices sync to, or null when they do not sync. */
  effectiveClientId: string | null;
  /** The ancestor whose mapping is inherited; null when the own mapping applies or none does. */
  inheritedFromGroupId: string | null;
}

export interface EffectiveClient {
  clientId: string | null;
  inheritedFromGroupId: string | null;
}

export type EffectiveClientIndex = ReadonlyMap<string, EffectiveClient>;

export const PATH_SEPARATOR = ' / ';

/** True when the group's own mapping counts (it is set and the group still exists in Level). */
export function hasActiveOwnMapping(group: GroupNode): boolean {
  return !group.removed && group.mappedClientId !== null && group.mappedClientId !== '';
}

/** Resolves paths, depths and effective clients, in tree order (parents before children). */
export function resolveGroupTree(groups: readonly GroupNode[]): ResolvedGroup[] {
  const byId = indexLastWins(groups);
  const parentOf = saneParents(byId);
  const childrenOf = childrenInDisplayOrder(byId, parentOf);
  return walkPreOrder(childrenOf);
}

/**
 * The groups whose subtrees a device sync must fetch: groups with an active own mapping and no
 * ancestor with one. Their subtrees are disjoint and together hold every device that syncs.
 * Takes the output of `resolveGroupTree` (tree order is relied upon); returns ids in tree order.
 */
export function syncRoots(resolved: readonly ResolvedGroup[]): string[] {
  // `resolved` is in pre-order, so the ancestors of a node at depth d are the latest nodes seen
  // at depths 0..d-1: one flag per depth says whether an active mapping exists at or above it.
  // (Effective clients alone cannot tell, since a removed parent shows null yet passes through.)
  const mappedAtOrAbove: boolean[] = [];
  const roots: string[] = [];
  for (const group of resolved) {
    const coveredAbove = group.depth > 0 && (mappedAtOrAbove[group.depth - 1] ?? false);
    const mapped = hasActiveOwnMapping(group);
    if (mapped && !coveredAbove) roots.push(group.levelGroupId);
    mappedAtOrAbove[group.depth] = coveredAbove || mapped;
  }
  return roots;
}

/** Lookup table for routing devices: group id → effective client and where it comes from. */
export function effectiveClientIndex(resolved: readonly ResolvedGroup[]): Map<string, EffectiveClient> {
  const index = new Map<string, EffectiveClient>();
  for (const group of resolved) {
    index.set(group.levelGroupId, {
      clientId: group.effectiveClientId,
      inheritedFromGroupId: group.inheritedFromGroupId,
    });
  }
  return index;
}

/** The client a device in `groupId` belongs to; ungrouped devices and unknown groups never sync. */
export function effectiveClientForDevice(groupId: string | null, index: EffectiveClientIndex): string | null {
  if (groupId === null) return null;
  return index.get(groupId)?.clientId ?? null;
}

// --- internals -------------------------------------------------------------------------------

function indexLastWins(groups: readonly GroupNode[]): Map<string, GroupNode> {
  const byId = new Map<string, GroupNode>();
  for (const group of groups) {
    byId.set(group.levelGroupId, group);
  }
  return byId;
}

/** Parent pointers with dangling references and cycles removed (null = root). */
function saneParents(byId: ReadonlyMap<string, GroupNode>): Map<string, string | null> {
  const parentOf = new Map<string, string | null>();
  for (const [id, group] of byId) {
    const parent = group.parentId;
    parentOf.set(id, parent !== null && parent !== id && byId.has(parent) ? parent : null);
  }
  cutCycles(parentOf);
  return parentOf;
}

/**
 * Each node has at most one parent, so every cycle is found by walking up from each node once.
 * Nodes are marked "on the current walk" then "settled"; meeting a node of the current walk
 * means the walk closed a cycle. Linear in the number of nodes.
 */
function cutCycles(parentOf: Map<string, string | null>): void {
  const settled = new Set<string>();
  for (const start of parentOf.keys()) {
    const walk: string[] = [];
    const onWalk = new Set<string>();
    let current: string | null = start;
    while (current !== null && !settled.has(current) && !onWalk.has(current)) {
      walk.push(current);
      onWalk.add(current);
      current = parentOf.get(current) ?? null;
    }
    if (current !== null && onWalk.has(current)) {
      const cycle = walk.slice(walk.indexOf(current));
      parentOf.set(smallestId(cycle), null);
    }
    for (const id of walk) settled.add(id);
  }
}

function smallestId(ids: readonly string[]): string {
  return ids.reduce((smallest, id) => (id < smallest ? id : smallest));
}

/** Children lists keyed by parent id; the `null` key holds the roots. */
function childrenInDisplayOrder(
  byId: ReadonlyMap<string, GroupNode>,
  parentOf: ReadonlyMap<string, string | null>,
): Map<string | null, GroupNode[]> {
  const childrenOf = new Map<string | null, GroupNode[]>();
  for (const [id, group] of byId) {
    const parent = parentOf.get(id) ?? null;
    const siblings = childrenOf.get(parent);
    if (siblings) siblings.push(group);
    else childrenOf.set(parent, [group]);
  }
  for (const siblings of childrenOf.values()) siblings.sort(compareForDisplay);
  return childrenOf;
}

/** Case-insensitive name, then id: stable and independent of the host's locale data. */
function compareForDisplay(a: GroupNode, b: GroupNode): number {
  return compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) || compareStrings(a.levelGroupId, b.levelGroupId);
}

function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** What a parent hands down to its children while walking the tree. */
interface Inherited {
  path: string | null;
  depth: number;
  /** Nearest active mapping above (or at) the parent. */
  mapping: { clientId: string; groupId: string } | null;
}

// Once cycles are cut every node hangs below some root, so the walk reaches all of them.
function walkPreOrder(childrenOf: ReadonlyMap<string | null, GroupNode[]>): ResolvedGroup[] {
  const resolved: ResolvedGroup[] = [];
  const rootContext: Inherited = { path: null, depth: 0, mapping: null };
  // Explicit stack (pushed in reverse so the first child is visited first) instead of recursion.
  const stack: { group: GroupNode; context: Inherited }[] = [];
  pushChildren(stack, childrenOf.get(null), rootContext);
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const group = resolveOne(item.group, item.context);
    resolved.push(group);
    pushChildren(stack, childrenOf.get(group.levelGroupId), contextFor(group, item.context));
  }
  return resolved;
}

function pushChildren(
  stack: { group: GroupNode; context: Inherited }[],
  children: readonly GroupNode[] | undefined,
  context: Inherited,
): void {
  if (!children) return;
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (child) stack.push({ group: child, context });
  }
}

function resolveOne(group: GroupNode, context: Inherited): ResolvedGroup {
  const path = context.path === null ? group.name : `${context.path}${PATH_SEPARATOR}${group.name}`;
  const base = { ...group, path, depth: context.depth };
  if (hasActiveOwnMapping(group)) {
    return { ...base, effectiveClientId: group.mappedClientId, inheritedFromGroupId: null };
  }
  // A removed group has no devices left in Level, so nothing resolves to a client through it.
  if (group.removed || context.mapping === null) {
    return { ...base, effectiveClientId: null, inheritedFromGroupId: null };
  }
  return { ...base, effectiveClientId: context.mapping.clientId, inheritedFromGroupId: context.mapping.groupId };
}

function contextFor(group: ResolvedGroup, parentContext: Inherited): Inherited {
  const ownMapping =
    hasActiveOwnMapping(group) && group.mappedClientId !== null
      ? { clientId: group.mappedClientId, groupId: group.levelGroupId }
      : null;
  // Removed groups pass their ancestors' mapping through untouched.
  return { path: group.path, depth: group.depth + 1, mapping: ownMapping ?? parentContext.mapping };
}
