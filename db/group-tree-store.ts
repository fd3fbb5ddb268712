// A tenant's discovered groups as a resolved tree (paths, effective clients) — the one place
// the stored rows meet the pure inheritance rule in domain/group-tree.ts.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  effectiveClientForDevice,
  effectiveClientIndex,
  resolveGroupTree,
  syncRoots,
  type EffectiveClientIndex,
  type ResolvedGroup,
} from '../domain/group-tree';
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
    rows.map((row) => ({
      levelGroupId: row.levelGroupId,
      parentId: row.parentId ?? null,
      name: row.name,
      mappedClientId: row.mappedClientId ?? null,
      removed: row.removed,
    })),
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
export async function loadGroupChain(
  em: EntityManager,
  tenantId: string,
  levelGroupId: string | null,
): Promise<GroupChain> {
  if (!levelGroupId) return { ancestry: [], effectiveClientId: null };
  const result = await em.getKnex().raw<{
    rows: Array<{
      level_group_id: string;
      parent_id: string | null;
      name: string;
      mapped_client_id: string | null;
      removed: boolean;
    }>;
  }>(
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
  const nodes = result.rows.map((row) => ({
    levelGroupId: row.level_group_id,
    parentId: row.parent_id,
    name: row.name,
    mappedClientId: row.mapped_client_id,
    removed: row.removed,
  }));
  const ancestry = [...new Set(nodes.map((node) => node.levelGroupId))];
  const index = effectiveClientIndex(resolveGroupTree(nodes));
  return { ancestry, effectiveClientId: effectiveClientForDevice(levelGroupId, index) };
}

/** A group as Level serves it (list or single fetch), as the store keeps it. */
export interface LevelGroupFacts {
  id: string;
  name?: string | null;
  parent_id?: string | null;
  child_ids?: string[] | null;
  device_count?: number | null;
  descendent_device_count?: number | null;
}

/** The level_groups row of a Level group (Discover Groups and native group events write the same). */
export function groupRow(tenantId: string, integrationId: string, group: LevelGroupFacts) {
  return {
    tenant_id: tenantId,
    integration_id: integrationId,
    level_group_id: group.id,
    name: group.name ?? group.id,
    parent_id: group.parent_id ?? null,
    child_count: group.child_ids?.length ?? 0,
    device_count: group.device_count ?? 0,
    descendant_device_count: group.descendent_device_count ?? group.device_count ?? 0,
  };
}

/** Inserts or updates groups by Level id (a returning group is no longer removed); the mapping is kept. */
export async function upsertGroupRows(
  knex: Knex,
  rows: ReadonlyArray<ReturnType<typeof groupRow>>,
  now: Date,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows
      .slice(i, i + 500)
      .map((row) => ({ ...row, id: knex.raw('gen_random_uuid()'), removed: false, removed_at: null, updated_at: now }));
    await knex('level_groups')
      .insert(chunk)
      .onConflict(['tenant_id', 'level_group_id'])
      .merge([
        'integration_id',
        'name',
        'parent_id',
        'child_count',
        'device_count',
        'descendant_device_count',
        'removed',
        'removed_at',
        'updated_at',
      ]);
  }
}

/** Marks groups removed (they keep their row and mapping, inactive); the number newly removed. */
export async function markGroupsRemoved(
  knex: Knex,
  tenantId: string,
  levelGroupIds: readonly string[],
  now: Date,
): Promise<number> {
  if (levelGroupIds.length === 0) return 0;
  return knex('level_groups')
    .where({ tenant_id: tenantId, removed: false })
    .whereIn('level_group_id', levelGroupIds)
    .update({ removed: true, removed_at: now, updated_at: now });
}

/**
 * After a group changed (renamed, moved, removed), the active assets of its subtree follow the
 * tree at once: each moves to its group's effective client, or is archived when none covers it
 * any more (as a sync would do). Only the database is read; the next sync stays the reconciler.
 */
export async function rehomeSubtreeAssets(
  em: EntityManager,
  tenantId: string,
  levelGroupId: string,
): Promise<{ moved: number; archived: number }> {
  const tree = await loadGroupTree(em, tenantId);
  const inSubtree = tree.groups.filter(({ resolved }) => tree.ancestry(resolved.levelGroupId).includes(levelGroupId));
  const byClient = new Map<string | null, string[]>();
  for (const { resolved } of inSubtree)
    byClient.set(resolved.effectiveClientId, [
      ...(byClient.get(resolved.effectiveClientId) ?? []),
      resolved.levelGroupId,
    ]);
  const knex = em.getKnex();
  const now = new Date();
  let moved = 0;
  let archived = 0;
  for (const [clientId, groupIds] of byClient) {
    const assets = knex('assets').where({ tenant_id: tenantId, archived: false }).whereIn('level_group_id', groupIds);
    if (clientId === null) archived += await assets.update({ archived: true, archived_at: now, updated_at: now });
    else moved += await assets.whereNot('client_id', clientId).update({ client_id: clientId, updated_at: now });
  }
  return { moved, archived };
}

/**
 * Stores a discovery's whole group list: upserts every group, marks the ones Level no longer has
 * as removed, and counts what changed (from the rows as they were before, read first).
 */
export async function storeDiscoveredGroups(
  em: EntityManager,
  ref: { tenantId: string },
  rows: ReadonlyArray<ReturnType<typeof groupRow>>,
) {
  const existing = new Map(
    (await em.find(LevelGroupSchema, { tenantId: ref.tenantId })).map((row) => [row.levelGroupId, row]),
  );
  const now = new Date();
  let created = 0;
  let updated = 0;
  for (const row of rows) {
    const before = existing.get(row.level_group_id);
    if (!before) created += 1;
    else if (
      before.removed ||
      before.name !== row.name ||
      (before.parentId ?? null) !== row.parent_id ||
      before.deviceCount !== row.device_count ||
      before.descendantDeviceCount !== row.descendant_device_count
    )
      updated += 1;
  }
  const seen = new Set(rows.map((row) => row.level_group_id));
  const vanished = [...existing.values()]
    .filter((row) => !row.removed && !seen.has(row.levelGroupId))
    .map((row) => row.levelGroupId);

  await em.getKnex().transaction(async (trx) => {
    await upsertGroupRows(trx, rows, now);
    // Vanished groups keep their row and mapping (inactive) so history and a return stay intact.
    await markGroupsRemoved(trx, ref.tenantId, vanished, now);
  });
  return { created, updated, removed: vanished.length };
}
