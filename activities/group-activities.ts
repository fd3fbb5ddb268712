// Discover Groups: import Level's whole group hierarchy into level_groups, by Level id.
import { heartbeat } from '@temporalio/activity';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LevelGroupSchema } from '../db/entities';
import { groupRow, markGroupsRemoved, upsertGroupRows } from '../db/group-tree-store';
import type { LevelGroup as LevelGroupDocument } from '../level/schemas';
import type { ActivityDeps } from './deps';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export interface DiscoverGroupsInput {
  tenantId: string;
  integrationId: string;
}

export interface DiscoverGroupsResult {
  groups: number;
  created: number;
  updated: number;
  removed: number;
  levelRequests: number;
}

export function createGroupActivities(deps: ActivityDeps) {
  return {
    async importLevelGroups(input: DiscoverGroupsInput): Promise<DiscoverGroupsResult> {
      const em = deps.orm.em.fork();
      const { client } = await openBudgetedLevelClient(deps, em, input.integrationId);
      const fetched: LevelGroupDocument[] = [];
      try {
        for await (const group of client.iterateGroups()) {
          fetched.push(group);
          if (fetched.length % 100 === 0) heartbeat(fetched.length);
        }
      } catch (err) {
        throw toActivityFailure(err);
      }
      const counts = await storeGroups(em, input, fetched);
      return { groups: fetched.length, ...counts, levelRequests: client.requestCount };
    },
  };
}

async function storeGroups(em: EntityManager, input: DiscoverGroupsInput, fetched: LevelGroupDocument[]) {
  const existing = new Map((await em.find(LevelGroupSchema, { tenantId: input.tenantId })).map((row) => [row.levelGroupId, row]));
  const now = new Date();
  const rows = fetched.map((group) => groupRow(input.tenantId, input.integrationId, group));
  let created = 0;
  let updated = 0;
  for (const row of rows) {
    const before = existing.get(row.level_group_id);
    if (!before) created += 1;
    else if (before.removed || before.name !== row.name || (before.parentId ?? null) !== row.parent_id || before.deviceCount !== row.device_count || before.descendantDeviceCount !== row.descendant_device_count) updated += 1;
  }
  const seen = new Set(rows.map((row) => row.level_group_id));
  const vanished = [...existing.values()].filter((row) => !row.removed && !seen.has(row.levelGroupId)).map((row) => row.levelGroupId);

  await em.getKnex().transaction(async (trx) => {
    await upsertGroupRows(trx, rows, now);
    // Vanished groups keep their row and mapping (inactive) so history and a return stay intact.
    await markGroupsRemoved(trx, input.tenantId, vanished, now);
  });
  return { created, updated, removed: vanished.length };
}
