import { Migration } from '@mikro-orm/migrations';

/** Alert rules, maintenance windows, alerts, tickets with their notes and per-tenant numbers. */
export class Migration20261126020000AlertsAndTickets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "alert_rules" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "name" text not null,
      "enabled" boolean not null default true,
      "position" integer not null,
      "conditions" jsonb not null default '{}',
      "actions" jsonb not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);
    this.addSql(`create index "alert_rules_tenant_id_position_index" on "alert_rules" ("tenant_id", "position");`);

    // A client-scoped window disappears with its client (set null would widen it to everything).
    this.addSql(`create table "maintenance_windows" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "name" text not null,
      "enabled" boolean not null default true,
      "scope_client_id" uuid null references "clients" ("id") on delete cascade,
      "scope_asset_id" uuid null,
      "starts_at" timestamptz null,
      "ends_at" timestamptz null,
      "recurrence" jsonb null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "maintenance_windows_schedule_check" check (
        ("recurrence" is null and "starts_at" is not null and "ends_at" is not null and "ends_at" > "starts_at")
        or ("recurrence" is not null and "starts_at" is null and "ends_at" is null)));`);
    this.addSql(`create index "maintenance_windows_tenant_id_index" on "maintenance_windows" ("tenant_id");`);

    this.addSql(`create table "ticket_counters" (
      "tenant_id" uuid not null primary key references "tenants" ("id") on delete cascade,
      "last_number" integer not null);`);

    this.addSql(`create table "tickets" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "number" integer not null,
      "title" text not null,
      "description" text not null,
      "priority" text not null check ("priority" in ('urgent', 'high', 'medium', 'low')),
      "status" text not null check ("status" in ('open', 'in_progress', 'closed')),
      "client_id" uuid null references "clients" ("id") on delete set null,
      "asset_id" uuid null,
      "level_device_id" text not null,
      "condition_key" text not null,
      "alert_ids" jsonb not null default '[]',
      "occurrences" integer not null default 1,
      "assignee" text null,
      "touched_by_human" boolean not null default false,
      "rule_id" uuid null references "alert_rules" ("id") on delete set null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "closed_at" timestamptz null);`);
    this.addSql(
      `alter table "tickets" add constraint "tickets_tenant_id_number_unique" unique ("tenant_id", "number");`,
    );
    // Dedup: at most one ticket that is not closed per device and alert condition.
    this.addSql(
      `create unique index "tickets_one_open_per_condition" on "tickets" ("tenant_id", "level_device_id", "condition_key") where "status" <> 'closed';`,
    );
    this.addSql(`create index "tickets_tenant_id_status_index" on "tickets" ("tenant_id", "status");`);
    this.addSql(`create index "tickets_tenant_id_client_id_index" on "tickets" ("tenant_id", "client_id");`);

    this.addSql(`create table "ticket_notes" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "ticket_id" uuid not null references "tickets" ("id") on delete cascade,
      "author" text not null check ("author" in ('system', 'human')),
      "body" text not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create index "ticket_notes_tenant_id_index" on "ticket_notes" ("tenant_id");`);
    this.addSql(
      `create index "ticket_notes_ticket_id_created_at_index" on "ticket_notes" ("ticket_id", "created_at");`,
    );

    this.addSql(`create table "alerts" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "level_alert_id" text not null,
      "integration_id" uuid null,
      "level_device_id" text not null,
      "asset_id" uuid null,
      "client_id" uuid null references "clients" ("id") on delete set null,
      "name" text not null,
      "description" text null,
      "severity" text not null check ("severity" in ('information', 'warning', 'critical', 'emergency')),
      "status" text not null check ("status" in ('active', 'resolved', 'suppressed')),
      "started_at" timestamptz null,
      "resolved_at" timestamptz null,
      "ticket_id" uuid null references "tickets" ("id") on delete set null,
      "matched_rule_id" uuid null references "alert_rules" ("id") on delete set null,
      "suppressed_by_window_id" uuid null references "maintenance_windows" ("id") on delete set null,
      "condition_key" text not null,
      "raw" jsonb null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);
    this.addSql(
      `alter table "alerts" add constraint "alerts_tenant_id_level_alert_id_unique" unique ("tenant_id", "level_alert_id");`,
    );
    this.addSql(`create index "alerts_tenant_id_status_index" on "alerts" ("tenant_id", "status");`);
    this.addSql(`create index "alerts_tenant_id_condition_key_index" on "alerts" ("tenant_id", "condition_key");`);
    this.addSql(`create index "alerts_ticket_id_index" on "alerts" ("ticket_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "alerts" cascade;`);
    this.addSql(`drop table if exists "ticket_notes" cascade;`);
    this.addSql(`drop table if exists "tickets" cascade;`);
    this.addSql(`drop table if exists "ticket_counters" cascade;`);
    this.addSql(`drop table if exists "maintenance_windows" cascade;`);
    this.addSql(`drop table if exists "alert_rules" cascade;`);
  }
}
