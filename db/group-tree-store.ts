// A tenant's discovered groups as a resolved tree (paths, effective clients) — the one place
// the stored rows meet the pure inheritance rule in domain/group-tree.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { effectiveClientForDevice, effectiveClientIndex, resolveGroupTree, syncRoots, type EffectiveClientIndex, type ResolvedGroup } from '../domain/group-tree';
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

export interface GroupChain {
  /** The group and all its ancestors, nearest first. */
  ancestry: string[];
  /** The effective client of that group under the inheritance rule. */
  effectiveClientId: string | null;
}

/**
 * One group's ancestry and effective client without loading the tenant's whole tree (the alert
 * path asks this per alert): a recursive query walks up the parents, and the same pure rule as
 * the full tree resolves the chain.
 */
export async function loadGroupChain(em: EntityManager, tenantId: string, levelGroupId: string | null): Promise<GroupChain> {
  if (!levelGroupId) return { ancestry: [], effectiveClientId: null };
  const result = await em.getKnex().raw<{ rows: Array<{ level_group_id: string; parent_id: string | null; name: string; mapped_client_id: string | null; removed: boolean }> }>(
    `with recursive chain as (
       select level_group_id, parent_id, name, mapped_client_id, removed, 0 as depth
       from level_groups where tenant_id = :tenantId and level_group_id = :levelGroupId
       union all
       select g.level_group_id, g.parent_id, g.name, g.mapped_client_id, g.removed, c.depth + 1
       from level_groups g join chain c on g.level_group_id = c.parent_id
       where g.tenant_id = :tenantId and c.depth < 64
     )
     select level_group_id, parent_id, name, mapped_client_id, removed from chain order by depth`,
    { tenantId, levelGroupId },
  );
  const nodes = result.rows.map((row) => ({ levelGroupId: row.level_group_id, parentId: row.parent_id, name: row.name, mappedClientId: row.mapped_client_id, removed: row.removed }));
  const ancestry = [...new Set(nodes.map((node) => node.levelGroupId))];
  const index = effectiveClientIndex(resolveGroupTree(nodes));
  return { ancestry, effectiveClientId: effectiveClientForDevice(levelGroupId, index) };
}
