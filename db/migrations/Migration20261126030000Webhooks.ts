import { Migration } from '@mikro-orm/migrations';

/** Webhook secrets of the integration, the Temporal inbox, and the alert lifecycle's once-only actions. */
export class Migration20261126030000Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "level_integrations" add column "webhook_secret_sealed" text null, add column "signing_secret_sealed" text null;`,
    );

    this.addSql(`create table "webhook_inbox" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "event_id" text not null,
      "workflow_id" text not null,
      "workflow_type" text not null,
      "workflow_args" jsonb not null,
      "signal_name" text not null,
      "signal_args" jsonb not null,
      "summary" text null,
      "status" text not null check ("status" in ('pending', 'delivered')),
      "attempts" integer not null default 0,
      "last_error" text null,
      "created_at" timestamptz not null default now(),
      "delivered_at" timestamptz null);`);
    this.addSql(
      `alter table "webhook_inbox" add constraint "webhook_inbox_tenant_id_event_id_unique" unique ("tenant_id", "event_id");`,
    );
    this.addSql(`create index "webhook_inbox_status_created_at_index" on "webhook_inbox" ("status", "created_at");`);

    this.addSql(`create table "alert_actions" (
      "id" text not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "level_alert_id" text not null,
      "outcome" jsonb not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create index "alert_actions_tenant_id_index" on "alert_actions" ("tenant_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "alert_actions" cascade;`);
    this.addSql(`drop table if exists "webhook_inbox" cascade;`);
    this.addSql(
      `alter table "level_integrations" drop column if exists "webhook_secret_sealed", drop column if exists "signing_secret_sealed";`,
    );
  }
}
