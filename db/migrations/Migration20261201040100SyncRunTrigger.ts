import { Migration } from '@mikro-orm/migrations';

/**
 * What started each device sync (a person, the tenant's schedule, a webhook), for the sync
 * history; earlier runs were all started by a person. The index serves the history, newest first.
 */
export class Migration20261201040100SyncRunTrigger extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "sync_runs" add column "trigger" text not null default 'manual' check ("trigger" in ('manual', 'schedule', 'webhook'));`,
    );
    this.addSql(`create index "sync_runs_tenant_started_index" on "sync_runs" ("tenant_id", "started_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "sync_runs_tenant_started_index";`);
    this.addSql(`alter table "sync_runs" drop column "trigger";`);
  }
}
