import { Migration } from '@mikro-orm/migrations';

/**
 * The webhook delivery log (one row per authenticated delivery and its outcome; pruned to 10,000
 * rows and 30 days per tenant) and per-integration delivery stats (last delivery, unauthenticated
 * attempts counted in memory and added in batches).
 */
export class Migration20261201040000DeliveryLog extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "webhook_deliveries" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null,
      "integration_id" uuid not null,
      "received_at" timestamptz not null,
      "source" text not null check ("source" in ('automation', 'native', 'test')),
      "event_type" text null,
      "event_id" text null,
      "outcome" text not null check ("outcome" in ('accepted', 'duplicate', 'ignored', 'rejected')),
      "http_status" int not null,
      "recorded_in" text null,
      "level_alert_id" text null,
      "level_device_id" text null,
      "workflow_id" text null,
      "error" text null);`);
    this.addSql(
      `create index "webhook_deliveries_tenant_received_index" on "webhook_deliveries" ("tenant_id", "received_at", "id");`,
    );
    this.addSql(`create table "webhook_delivery_stats" (
      "integration_id" uuid not null primary key,
      "tenant_id" uuid not null,
      "last_received_at" timestamptz null,
      "unauthenticated_attempts" bigint not null default 0,
      "unauthenticated_since" timestamptz null);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "webhook_delivery_stats";`);
    this.addSql(`drop table if exists "webhook_deliveries";`);
  }
}
