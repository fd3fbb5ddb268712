import { defineEntity, type InferEntity } from '@mikro-orm/core';

export interface SyncCounts {
  created: number;
  updated: number;
  moved: number;
  /** Existing assets taken over by re-enrolled devices (same client, serial and hostname). */
  relinked: number;
  archived: number;
  skipped: number;
  failed: number;
  levelRequests: number;
}

/** What started a sync: a person (Run Device Sync), the tenant's schedule, or a webhook. */
export const SYNC_TRIGGERS = ['manual', 'schedule', 'webhook'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

export const SYNC_RUN_STATUSES = ['running', 'completed', 'failed'] as const;

/** One Device Sync run and its counts (one row per workflow id + run). */
export const SyncRunSchema = defineEntity({
  name: 'SyncRun',
  tableName: 'sync_runs',
  indexes: [{ name: 'sync_runs_tenant_started_index', properties: ['tenantId', 'startedAt', 'id'] }],
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().index(),
    integrationId: p.uuid(),
    workflowId: p.text(),
    /** The Temporal run the sync started as (it may continue as new); null on rows from before. */
    runId: p.text().nullable(),
    status: p.enum([...SYNC_RUN_STATUSES]).columnType('text'),
    trigger: p
      .enum([...SYNC_TRIGGERS])
      .columnType('text')
      .default('manual'),
    expected: p.integer().default(0),
    processed: p.integer().default(0),
    counts: p.json<SyncCounts>(),
    /** Level ids of the top-most mapped groups, in the order the run works through them. */
    roots: p.json<string[]>().defaultRaw(`'[]'`),
    startedAt: p.datetime().columnType('timestamptz').defaultRaw('now()'),
    finishedAt: p.datetime().columnType('timestamptz').nullable(),
  }),
});

export type SyncRun = InferEntity<typeof SyncRunSchema>;
