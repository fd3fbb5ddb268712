import { Migration } from '@mikro-orm/migrations';

/** The last health reading per Level device, reused by tickets of that device for a few minutes. */
export class Migration20261202040000DeviceHealthReadings extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "device_health_readings" (
      "tenant_id" uuid not null references "tenants" ("id") on delete cascade,
      "level_device_id" text not null,
      "health" jsonb not null,
      "fetched_at" timestamptz not null,
      primary key ("tenant_id", "level_device_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "device_health_readings";`);
  }
}
