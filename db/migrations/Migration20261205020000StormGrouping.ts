import { Migration } from '@mikro-orm/migrations';

/**
 * Storm grouping: the tenant's alert settings (`alert_settings`, one row per tenant, absent = off)
 * and, on tickets, their `kind` (`alert`, or `storm` for a storm's parent ticket) and the storm
 * parent a ticket was grouped into (`parent_ticket_id`). A storm parent has no device: its
 * `level_device_id` is '' and its `condition_key` `storm:<client>[:<condition>]`, so the index that
 * keeps one open ticket per device and condition also keeps one open parent per storm key.
 */
export class Migration20261205020000StormGrouping extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "alert_settings" (
      "tenant_id" uuid not null primary key references "tenants" ("id") on delete cascade,
      "storm_enabled" boolean not null default false,
      "storm_threshold" integer not null default 10 check ("storm_threshold" between 2 and 1000),
      "storm_window_minutes" integer not null default 5 check ("storm_window_minutes" between 1 and 120),
      "storm_group_by" text not null default 'client' check ("storm_group_by" in ('client', 'client_condition')),
      "updated_at" timestamptz not null default now());`);
    this.addSql(
      `alter table "tickets" add column "kind" text not null default 'alert' check ("kind" in ('alert', 'storm'));`,
    );
    this.addSql(
      `alter table "tickets" add column "parent_ticket_id" uuid null references "tickets" ("id") on delete set null;`,
    );
    this.addSql(
      `create index "tickets_parent_ticket_id_index" on "tickets" ("parent_ticket_id") where "parent_ticket_id" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "tickets_parent_ticket_id_index";`);
    this.addSql(`alter table "tickets" drop column if exists "parent_ticket_id";`);
    this.addSql(`alter table "tickets" drop column if exists "kind";`);
    this.addSql(`drop table if exists "alert_settings";`);
  }
}
