import { Migration } from '@mikro-orm/migrations';

/**
 * The Temporal run each device sync started as, so its history row links to that run in the
 * Temporal UI (the workflow id alone opens the tenant's latest sync). Rows from before: null.
 */
export class Migration20261206000000SyncRunRunId extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sync_runs" add column "run_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sync_runs" drop column "run_id";`);
  }
}
