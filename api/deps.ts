// What the Koa app is built from; the entry points and the tests assemble these.
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import type { Orm } from '../db/orm';
import type { SecretBox } from '../security/secret-box';
import type { TemporalGateway } from '../temporal/connection';

export interface AppDeps {
  orm: Orm;
  temporal: TemporalGateway;
  secretBox: SecretBox;
  logger: Logger;
  config: Pick<AppConfig, 'taskQueue' | 'publicUrl' | 'runWaitTimeoutMs' | 'levelHosts'> & Partial<Pick<AppConfig, 'temporalUiUrl' | 'temporalNamespace' | 'trustProxy' | 'metricsPort' | 'metricsToken'>>;
  /** The process's inbox relay, woken when an event is left to it (absent: it polls on its own). */
  inboxRelay?: { wake(): void };
}
