// A tenant's discovered groups as a resolved tree (paths, effective clients) — the one place
// the stored rows meet the pure inheritance rule in domain/group-tree.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { effectiveClientIndex, resolveGroupTree, syncRoots, type EffectiveClientIndex, type ResolvedGroup } from '../domain/group-tree';
import { LevelGroupSchema, type LevelGroup } from './entities';

export interface GroupTree {
  /** Tree order: parents before children. */
  groups: Array<{ resolved: ResolvedGroup; row: LevelGroup }>;
  index: EffectiveClientIndex;
  /** Top-most mapped groups: fetching each one's subtree covers every device to sync, once. */
  syncRoots: string[];
  /** The group and all its ancestors, nearest first (for rule conditions on groups). */
  ancestry(levelGroupId: string | null): string[];
}

export async function loadGroupTree(em: EntityManager, tenantId: string): Promise<GroupTree> {
  const rows = await em.find(LevelGroupSchema, { tenantId });
  const byId = new Map(rows.map((row) => [row.levelGroupId, row]));
  const resolved = resolveGroupTree(
    rows.map((row) => ({ levelGroupId: row.levelGroupId, parentId: row.parentId ?? null, name: row.name, mappedClientId: row.mappedClientId ?? null, removed: row.removed })),
  );
  return {
    groups: resolved.map((group) => ({ resolved: group, row: byId.get(group.levelGroupId)! })),
    index: effectiveClientIndex(resolved),
    syncRoots: syncRoots(resolved),
    ancestry: (levelGroupId) => ancestryOf(byId, levelGroupId),
  };
}

function ancestryOf(byId: Map<string, LevelGroup>, levelGroupId: string | null): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  for (let id = levelGroupId; id && !seen.has(id); id = byId.get(id)?.parentId ?? null) {
    seen.add(id);
    chain.push(id);
  }
  return chain;
}
