import { Migration } from '@mikro-orm/migrations';

/** The subtrees a sync run covers, fixed when it is planned (chunks read them by index). */
export class Migration20261126040000SyncRunRoots extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "sync_runs" add column "roots" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "sync_runs" drop column "roots";`);
  }
}
