import { Migration } from '@mikro-orm/migrations';

/**
 * `parked`: a row that failed the same way too often (or could never be delivered, say a workflow
 * id Temporal refuses) is set aside with its error until an admin redrives it, so it never blocks
 * other rows. `failure_streak` counts its consecutive identical failures; `retry_at` spaces a
 * failing row's attempts. The tenant index lets the relay take each tenant's oldest rows in turn.
 */
export class Migration20261201000000InboxParking extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_inbox" drop constraint if exists "webhook_inbox_status_check";`);
    this.addSql(
      `alter table "webhook_inbox" add constraint "webhook_inbox_status_check" check ("status" in ('pending', 'sending', 'delivered', 'parked'));`,
    );
    this.addSql(
      `alter table "webhook_inbox" add column "failure_streak" integer not null default 0, add column "retry_at" timestamptz null, add column "parked_at" timestamptz null;`,
    );
    this.addSql(
      `create index "webhook_inbox_queued_tenant_index" on "webhook_inbox" ("tenant_id", "created_at") where "status" in ('pending', 'sending');`,
    );
    this.addSql(
      `create index "webhook_inbox_parked_index" on "webhook_inbox" ("tenant_id", "parked_at") where "status" = 'parked';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`update "webhook_inbox" set "status" = 'pending' where "status" = 'parked';`);
    this.addSql(`drop index if exists "webhook_inbox_parked_index";`);
    this.addSql(`drop index if exists "webhook_inbox_queued_tenant_index";`);
    this.addSql(
      `alter table "webhook_inbox" drop column if exists "failure_streak", drop column if exists "retry_at", drop column if exists "parked_at";`,
    );
    this.addSql(`alter table "webhook_inbox" drop constraint if exists "webhook_inbox_status_check";`);
    this.addSql(
      `alter table "webhook_inbox" add constraint "webhook_inbox_status_check" check ("status" in ('pending', 'sending', 'delivered'));`,
    );
  }
}
