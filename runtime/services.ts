// The resources a process shares: the ORM (migrated to the latest schema under an advisory
// lock), the secret box, and the one Temporal connection.
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import { migrateToLatest, openOrm, type Orm } from '../db/orm';
import { createSecretBox, type SecretBox } from '../security/secret-box';
import { TemporalGateway } from '../temporal/connection';

export interface Services {
  orm: Orm;
  secretBox: SecretBox;
  temporal: TemporalGateway;
  close(): Promise<void>;
}

export interface ServiceSettings {
  databaseUrl: string;
  temporalAddress: string;
  masterKey: Buffer;
}

export async function openServices(config: AppConfig & ServiceSettings, logger: Logger): Promise<Services> {
  const orm = await openOrm(config.databaseUrl);
  const applied = await migrateToLatest(orm);
  if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  const temporal = new TemporalGateway(config.temporalAddress, config.temporalNamespace, config.temporalSecurity);
  return {
    orm,
    secretBox: createSecretBox(config.masterKey),
    temporal,
    async close() {
      await temporal.close();
      await orm.close();
    },
  };
}
