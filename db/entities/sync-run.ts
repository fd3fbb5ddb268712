import { defineEntity, type InferEntity } from '@mikro-orm/core';

export interface SyncCounts {
  created: number;
  updated: number;
  moved: number;
  archived: number;
  skipped: number;
  failed: number;
  levelRequests: number;
}

/** One Device Sync run and its counts (one row per workflow id + run). */
export const SyncRunSchema = defineEntity({
  name: 'SyncRun',
  tableName: 'sync_runs',
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    integrationId: p.uuid(),
    workflowId: p.text(),
    status: p.text().$type<'running' | 'completed' | 'failed'>(),
    expected: p.integer().default(0),
    processed: p.integer().default(0),
    counts: p.json<SyncCounts>(),
    /** Level ids of the top-most mapped groups, in the order the run works through them. */
    roots: p.json<string[]>(),
    startedAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    finishedAt: p.datetime().columnType('timestamptz').nullable(),
  }),
});

export type SyncRun = InferEntity<typeof SyncRunSchema>;
