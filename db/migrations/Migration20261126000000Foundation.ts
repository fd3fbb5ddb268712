import { Migration } from '@mikro-orm/migrations';

export class Migration20261126000000Foundation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "tenants" (
      "id" uuid not null primary key,
      "name" text not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create table "admin_tokens" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "token_hash" text not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create index "admin_tokens_tenant_id_index" on "admin_tokens" ("tenant_id");`);
    this.addSql(`alter table "admin_tokens" add constraint "admin_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create table "clients" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "name" text not null,
      "created_at" timestamptz not null default now());`);
    this.addSql(`create index "clients_tenant_id_index" on "clients" ("tenant_id");`);
    this.addSql(`create table "level_integrations" (
      "id" uuid not null primary key,
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "base_url" text not null,
      "api_key_sealed" text null,
      "api_key_hint" text null,
      "status" text not null check ("status" in ('configured', 'connected', 'error', 'disconnected')),
      "connected_at" timestamptz null,
      "last_tested_at" timestamptz null,
      "last_error" jsonb null,
      "webhook_id" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now());`);
    this.addSql(
      `alter table "level_integrations" add constraint "level_integrations_tenant_id_unique" unique ("tenant_id");`,
    );
    this.addSql(
      `alter table "level_integrations" add constraint "level_integrations_webhook_id_unique" unique ("webhook_id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "level_integrations" cascade;`);
    this.addSql(`drop table if exists "clients" cascade;`);
    this.addSql(`drop table if exists "admin_tokens" cascade;`);
    this.addSql(`drop table if exists "tenants" cascade;`);
  }
}
