// What every activity factory receives: built once per worker process, shared by all
// activity executions (samples-typescript's activities-dependency-injection pattern).
import type { Logger } from '../config/logger';
import type { Orm } from '../db/orm';
import type { LevelHostPolicy } from '../level/host-policy';
import type { SecretBox } from '../security/secret-box';

export interface ActivityDeps {
  orm: Orm;
  secretBox: SecretBox;
  logger: Logger;
  /** Level requests per minute allowed per integration (shared by every worker). */
  levelRequestsPerMinute: number;
  /** Where Level requests may go (LEVEL_ALLOWED_HOSTS). */
  levelHosts: LevelHostPolicy;
}
