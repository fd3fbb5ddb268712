// Migrations are listed explicitly (not globbed) so they run the same under tsx and compiled JS.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000Foundation } from './Migration20261126000000Foundation';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000000Foundation', class: Migration20261126000000Foundation },
];
