import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { timestamps } from './columns';

/**
 * A Level group as last discovered, with the admin's own mapping to a client. Keyed by Level's
 * id so renames and moves update the row and the mapping follows the id, never the name.
 */
export const LevelGroupSchema = defineEntity({
  name: 'LevelGroup',
  tableName: 'level_groups',
  uniques: [{ properties: ['tenantId', 'levelGroupId'] }],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid(),
    integrationId: p.uuid().index(),
    levelGroupId: p.text(),
    name: p.text(),
    parentId: p.text().nullable(),
    childCount: p.integer().default(0),
    deviceCount: p.integer().default(0),
    descendantDeviceCount: p.integer().default(0),
    removed: p.boolean().default(false),
    removedAt: p.datetime().columnType('timestamptz').nullable(),
    mappedClientId: p.uuid().nullable(),
    ...timestamps(),
  }),
});

export type LevelGroup = InferEntity<typeof LevelGroupSchema>;
