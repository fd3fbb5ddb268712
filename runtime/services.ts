// The resources a process shares: the ORM (migrated to the latest schema under an advisory
// lock), the secret box, and the one Temporal connection.
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import { migrateToLatest, openOrm, type Orm } from '../db/orm';
import { resealIntegrationSecrets } from '../db/secret-reseal';
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
  const secretBox = createSecretBox(config.masterKey, config.masterKeyPrevious);
  // Secrets stored before they were bound to their place (v1) are upgraded once, here.
  const upgraded = await resealIntegrationSecrets(orm.em.fork(), secretBox, { legacyOnly: true });
  if (upgraded.resealed > 0)
    logger.info({ resealed: upgraded.resealed }, 'stored secrets re-sealed in the current format');
  const temporal = new TemporalGateway(config.temporalAddress, config.temporalNamespace, config.temporalSecurity);
  return {
    orm,
    secretBox,
    temporal,
    async close() {
      await temporal.close();
      await orm.close();
    },
  };
}
