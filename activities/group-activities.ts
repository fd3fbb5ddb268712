// Discover Groups: import Level's whole group hierarchy into level_groups, by Level id.
import { heartbeat } from '@temporalio/activity';
import { groupRow, storeDiscoveredGroups } from '../db/group-tree-store';
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
      const counts = await storeDiscoveredGroups(
        em,
        input,
        fetched.map((group) => groupRow(input.tenantId, input.integrationId, group)),
      );
      return { groups: fetched.length, ...counts, levelRequests: client.requestCount };
    },
  };
}
