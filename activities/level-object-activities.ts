// Activities of the device and group event runs (workflows/level-object-events.ts): apply the
// newest state of one Level device or group. Each is idempotent (a retry or a repeated event
// writes the same rows), reads Level under the integration's shared request budget, and answers a
// short outcome for the run's details; nothing from Level passes through workflow history.
import { findDeviceContext } from '../db/alert-routing-store';
import { groupRow, markGroupsRemoved, rehomeSubtreeAssets, upsertGroupRows } from '../db/group-tree-store';
import { LevelNotFoundError } from '../level/errors';
import type { ActivityDeps } from './deps';
import { archiveDeviceAsset } from '../db/asset-writer';
import { syncOneDevice } from './device-assets';
import { openBudgetedLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export interface DeviceChangeInput {
  tenantId: string;
  integrationId: string;
  levelDeviceId: string;
  action: 'upsert' | 'delete';
}

export interface GroupChangeInput {
  tenantId: string;
  integrationId: string;
  levelGroupId: string;
  action: 'upsert' | 'delete';
}

export function createLevelObjectActivities(deps: ActivityDeps) {
  const fork = () => deps.orm.em.fork();
  return {
    /** device_created / device_updated: create, update, move (or archive, unmapped) its asset; device_deleted: archive it. */
    async applyDeviceChange(input: DeviceChangeInput): Promise<string> {
      const em = fork();
      if (input.action === 'delete') return (await archiveDeviceAsset(em, input)) ? 'archived' : 'no active asset';
      const outcome = await syncOneDevice(deps, em, input);
      if (outcome === 'unmapped') return 'skipped: no mapping covers its group (an asset it had is archived)';
      if (outcome === 'gone') return 'archived: Level no longer has the device';
      const asset = await findDeviceContext(em, input.tenantId, input.levelDeviceId);
      return asset ? `${outcome}: asset ${asset.assetId} of client ${asset.clientId}` : outcome;
    },

    /** group_created / group_updated: store its name and parent, and its assets follow; group_deleted: mark it removed. */
    async applyGroupChange(input: GroupChangeInput): Promise<string> {
      const em = fork();
      const knex = em.getKnex();
      const now = new Date();
      if (input.action === 'delete')
        return removed(await markGroupsRemoved(knex, input.tenantId, [input.levelGroupId], now));
      const { client } = await openBudgetedLevelClient(deps, em, input.integrationId);
      let group;
      try {
        group = await client.getGroup(input.levelGroupId);
      } catch (err) {
        if (!(err instanceof LevelNotFoundError)) throw toActivityFailure(err);
        return removed(await markGroupsRemoved(knex, input.tenantId, [input.levelGroupId], now));
      }
      await upsertGroupRows(knex, [groupRow(input.tenantId, input.integrationId, group)], now);
      const followed = await rehomeSubtreeAssets(em, input.tenantId, input.levelGroupId);
      return `stored "${group.name ?? group.id}" under ${group.parent_id ?? 'the root'}; assets moved ${followed.moved}, archived ${followed.archived}`;
    },
  };
}

function removed(count: number): string {
  return count > 0 ? 'marked removed (its mapping is kept, inactive)' : 'already removed or never discovered';
}
