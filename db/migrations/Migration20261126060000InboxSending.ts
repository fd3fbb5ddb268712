import { Migration } from '@mikro-orm/migrations';

/**
 * `sending`: the receiver answered 202 from the inbox while its own signalWithStart was still on
 * the way (Temporal slower than the accept budget); the row settles to delivered or pending.
 * Later events of the same run queue behind a sending row just as behind a pending one.
 */
export class Migration20261126060000InboxSending extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "webhook_inbox" drop constraint if exists "webhook_inbox_status_check";`);
    this.addSql(
      `alter table "webhook_inbox" add constraint "webhook_inbox_status_check" check ("status" in ('pending', 'sending', 'delivered'));`,
    );
    this.addSql(`drop index if exists "webhook_inbox_pending_workflow_index";`);
    this.addSql(
      `create index "webhook_inbox_queued_workflow_index" on "webhook_inbox" ("tenant_id", "workflow_id") where "status" in ('pending', 'sending');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`update "webhook_inbox" set "status" = 'pending' where "status" = 'sending';`);
    this.addSql(`drop index if exists "webhook_inbox_queued_workflow_index";`);
    this.addSql(
      `create index "webhook_inbox_pending_workflow_index" on "webhook_inbox" ("tenant_id", "workflow_id") where "status" = 'pending';`,
    );
    this.addSql(`alter table "webhook_inbox" drop constraint if exists "webhook_inbox_status_check";`);
    this.addSql(
      `alter table "webhook_inbox" add constraint "webhook_inbox_status_check" check ("status" in ('pending', 'delivered'));`,
    );
  }
}
