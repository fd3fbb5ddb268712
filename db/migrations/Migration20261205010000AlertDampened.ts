import { Migration } from '@mikro-orm/migrations';

/**
 * `dampened`: the alert resolved while its rule's hold (`holdMinutes`, flap dampening) kept it
 * from a ticket; it is kept, never ticketed.
 */
export class Migration20261205010000AlertDampened extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "alerts" drop constraint if exists "alerts_status_check";`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_status_check" check ("status" in ('active', 'resolved', 'suppressed', 'failed', 'unmapped', 'dampened'));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`update "alerts" set "status" = 'resolved' where "status" = 'dampened';`);
    this.addSql(`alter table "alerts" drop constraint if exists "alerts_status_check";`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_status_check" check ("status" in ('active', 'resolved', 'suppressed', 'failed', 'unmapped'));`,
    );
  }
}
