import { Migration } from '@mikro-orm/migrations';

/**
 * Relink by serial: a device re-enrolled in Level (new Level id, same machine) takes over the
 * asset of its old id instead of becoming a second asset. The asset remembers the Level id it
 * had and when it was relinked (so a resumed sync counts a relink once, see db/asset-writer.ts);
 * the index finds an asset by client and serial number when a device id is new.
 */
export class Migration20261203000000AssetRelink extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "assets" add column "relinked_from_device_id" text null, add column "relinked_at" timestamptz null;`,
    );
    this.addSql(
      `create index "assets_tenant_id_client_id_serial_number_index" on "assets" ("tenant_id", "client_id", "serial_number");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "assets_tenant_id_client_id_serial_number_index";`);
    this.addSql(`alter table "assets" drop column "relinked_at", drop column "relinked_from_device_id";`);
  }
}
