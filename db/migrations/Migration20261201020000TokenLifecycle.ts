import { Migration } from '@mikro-orm/migrations';

/** Admin tokens get a name, an optional expiry, a revocation time and when they were last used. */
export class Migration20261201020000TokenLifecycle extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "admin_tokens" add column "name" text null, add column "expires_at" timestamptz null, add column "revoked_at" timestamptz null, add column "last_used_at" timestamptz null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "admin_tokens" drop column "name", drop column "expires_at", drop column "revoked_at", drop column "last_used_at";`,
    );
  }
}
