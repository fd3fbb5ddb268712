import { Migration } from '@mikro-orm/migrations';

export class Migration20261126010000GroupsAndAssets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "level_groups" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "integration_id" uuid not null references "level_integrations" ("id") on delete cascade,
      "level_group_id" text not null,
      "name" text not null,
      "parent_id" text null,
      "child_count" int not null default 0,
      "device_count" int not null default 0,
      "descendant_device_count" int not null default 0,
      "removed" boolean not null default false,
      "removed_at" timestamptz null,
      "mapped_client_id" uuid null references "clients" ("id") on delete set null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "level_groups_tenant_id_level_group_id_unique" unique ("tenant_id", "level_group_id"));`);
    this.addSql(`create index "level_groups_integration_id_index" on "level_groups" ("integration_id");`);

    this.addSql(`create table "assets" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "integration_id" uuid not null references "level_integrations" ("id") on delete cascade,
      "client_id" uuid not null references "clients" ("id") on delete cascade,
      "level_device_id" text not null,
      "name" text not null,
      "hostname" text null,
      "asset_type" text not null check ("asset_type" in ('workstation', 'server')),
      "platform" text null,
      "os_name" text null,
      "online" boolean not null default false,
      "last_seen_at" timestamptz null,
      "last_reboot_at" timestamptz null,
      "serial_number" text null,
      "manufacturer" text null,
      "model" text null,
      "cpu" jsonb null,
      "memory_bytes" bigint null,
      "disks" jsonb null,
      "ip_addresses" jsonb null,
      "level_group_id" text null,
      "tags" jsonb null,
      "maintenance_mode" boolean not null default false,
      "raw" jsonb not null,
      "archived" boolean not null default false,
      "archived_at" timestamptz null,
      "last_sync_run_id" uuid null,
      "synced_at" timestamptz not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "assets_tenant_id_level_device_id_unique" unique ("tenant_id", "level_device_id"));`);
    this.addSql(`create index "assets_integration_id_index" on "assets" ("integration_id");`);
    this.addSql(`create index "assets_tenant_id_client_id_index" on "assets" ("tenant_id", "client_id");`);

    this.addSql(`create table "sync_runs" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "integration_id" uuid not null references "level_integrations" ("id") on delete cascade,
      "workflow_id" text not null,
      "status" text not null check ("status" in ('running', 'completed', 'failed')),
      "expected" int not null default 0,
      "processed" int not null default 0,
      "counts" jsonb not null,
      "started_at" timestamptz not null default now(),
      "finished_at" timestamptz null);`);
    this.addSql(`create index "sync_runs_tenant_id_index" on "sync_runs" ("tenant_id");`);

    this.addSql(`create table "level_request_budgets" (
      "integration_id" uuid not null primary key references "level_integrations" ("id") on delete cascade,
      "tokens" double precision not null,
      "refilled_at" timestamptz not null default clock_timestamp());`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "level_request_budgets" cascade;`);
    this.addSql(`drop table if exists "sync_runs" cascade;`);
    this.addSql(`drop table if exists "assets" cascade;`);
    this.addSql(`drop table if exists "level_groups" cascade;`);
  }
}
