import { Migration } from '@mikro-orm/migrations';

/**
 * `failed`: routing (or recording a resolve) failed on an error no retry can fix (data PostgreSQL
 * refuses, say); the alert is parked with the reason instead of being retried forever.
 */
export class Migration20261201010000AlertFailures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "alerts" add column "failure_reason" text null;`);
    this.addSql(`alter table "alerts" drop constraint if exists "alerts_status_check";`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_status_check" check ("status" in ('active', 'resolved', 'suppressed', 'failed'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`update "alerts" set "status" = 'active' where "status" = 'failed';`);
    this.addSql(`alter table "alerts" drop constraint if exists "alerts_status_check";`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_status_check" check ("status" in ('active', 'resolved', 'suppressed'));`,
    );
    this.addSql(`alter table "alerts" drop column "failure_reason";`);
  }
}
