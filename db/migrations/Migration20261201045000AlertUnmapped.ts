import { Migration } from '@mikro-orm/migrations';

/**
 * `unmapped`: the alert's device has no asset because no group mapping covers it; the alert is
 * recorded apart and opens no ticket unless a rule with `"unmapped": true` routes it.
 */
export class Migration20261201045000AlertUnmapped extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "alerts" drop constraint if exists "alerts_status_check";`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_status_check" check ("status" in ('active', 'resolved', 'suppressed', 'failed', 'unmapped'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`update "alerts" set "status" = 'active' where "status" = 'unmapped';`);
    this.addSql(`alter table "alerts" drop constraint if exists "alerts_status_check";`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_status_check" check ("status" in ('active', 'resolved', 'suppressed', 'failed'));`,
    );
  }
}
