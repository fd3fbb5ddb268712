// Migrations are listed explicitly (not globbed) so they run the same under tsx and compiled JS.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261126000000Foundation } from './Migration20261126000000Foundation';
import { Migration20261126010000GroupsAndAssets } from './Migration20261126010000GroupsAndAssets';
import { Migration20261126020000AlertsAndTickets } from './Migration20261126020000AlertsAndTickets';
import { Migration20261126030000Webhooks } from './Migration20261126030000Webhooks';
import { Migration20261126040000SyncRunRoots } from './Migration20261126040000SyncRunRoots';
import { Migration20261126050000InboxOrdering } from './Migration20261126050000InboxOrdering';
import { Migration20261126060000InboxSending } from './Migration20261126060000InboxSending';
import { Migration20261201000000InboxParking } from './Migration20261201000000InboxParking';
import { Migration20261201010000AlertFailures } from './Migration20261201010000AlertFailures';
import { Migration20261201020000TokenLifecycle } from './Migration20261201020000TokenLifecycle';
import { Migration20261201040000DeliveryLog } from './Migration20261201040000DeliveryLog';
import { Migration20261201045000AlertUnmapped } from './Migration20261201045000AlertUnmapped';
import { Migration20261201040100SyncRunTrigger } from './Migration20261201040100SyncRunTrigger';
import { Migration20261202040000DeviceHealthReadings } from './Migration20261202040000DeviceHealthReadings';
import { Migration20261203000000AssetRelink } from './Migration20261203000000AssetRelink';
import { Migration20261205010000AlertDampened } from './Migration20261205010000AlertDampened';
import { Migration20261205020000StormGrouping } from './Migration20261205020000StormGrouping';
import { Migration20261206000000SyncRunRunId } from './Migration20261206000000SyncRunRunId';

export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261126000000Foundation', class: Migration20261126000000Foundation },
  { name: 'Migration20261126010000GroupsAndAssets', class: Migration20261126010000GroupsAndAssets },
  { name: 'Migration20261126020000AlertsAndTickets', class: Migration20261126020000AlertsAndTickets },
  { name: 'Migration20261126030000Webhooks', class: Migration20261126030000Webhooks },
  { name: 'Migration20261126040000SyncRunRoots', class: Migration20261126040000SyncRunRoots },
  { name: 'Migration20261126050000InboxOrdering', class: Migration20261126050000InboxOrdering },
  { name: 'Migration20261126060000InboxSending', class: Migration20261126060000InboxSending },
  { name: 'Migration20261201000000InboxParking', class: Migration20261201000000InboxParking },
  { name: 'Migration20261201010000AlertFailures', class: Migration20261201010000AlertFailures },
  { name: 'Migration20261201020000TokenLifecycle', class: Migration20261201020000TokenLifecycle },
  { name: 'Migration20261201040000DeliveryLog', class: Migration20261201040000DeliveryLog },
  { name: 'Migration20261201040100SyncRunTrigger', class: Migration20261201040100SyncRunTrigger },
  { name: 'Migration20261201045000AlertUnmapped', class: Migration20261201045000AlertUnmapped },
  { name: 'Migration20261202040000DeviceHealthReadings', class: Migration20261202040000DeviceHealthReadings },
  { name: 'Migration20261203000000AssetRelink', class: Migration20261203000000AssetRelink },
  { name: 'Migration20261205010000AlertDampened', class: Migration20261205010000AlertDampened },
  { name: 'Migration20261205020000StormGrouping', class: Migration20261205020000StormGrouping },
  { name: 'Migration20261206000000SyncRunRunId', class: Migration20261206000000SyncRunRunId },
];
