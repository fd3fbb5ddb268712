import { Migration } from '@mikro-orm/migrations';

/** Finds a run's events still waiting in the inbox, so later events queue behind them in order. */
export class Migration20261126050000InboxOrdering extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "webhook_inbox_pending_workflow_index" on "webhook_inbox" ("tenant_id", "workflow_id") where "status" = 'pending';`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "webhook_inbox_pending_workflow_index";`);
  }
}
