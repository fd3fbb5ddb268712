// The one place activities turn an integration id into a Level client: the key is read from
// the database and opened here, so it never travels through workflow inputs or history.
import type { EntityManager } from '@mikro-orm/postgresql';
import { LevelIntegrationSchema, type LevelIntegration } from '../db/entities';
import { integrationSecret } from '../db/integration-secrets';
import { createLevelClient, type LevelClient, type LevelClientOptions } from '../level/client';
import type { ActivityDeps } from './deps';
import { notConfigured } from './level-failure';
import { createPostgresRequestBudget } from '../db/postgres-request-budget';

export type LevelClientTuning = Omit<LevelClientOptions, 'baseUrl' | 'apiKey'>;

/** A Level client for the integration, allowed to reach only the hosts LEVEL_ALLOWED_HOSTS names. */
export async function openLevelClient(
  deps: Pick<ActivityDeps, 'secretBox' | 'levelHosts'>,
  em: EntityManager,
  integrationId: string,
  tuning: LevelClientTuning = {},
): Promise<{ integration: LevelIntegration; client: LevelClient }> {
  const integration = await em.findOne(LevelIntegrationSchema, { id: integrationId });
  if (!integration?.apiKeySealed) throw notConfigured();
  const apiKey = deps.secretBox.open(integration.apiKeySealed, integrationSecret(integration, 'api_key_sealed'));
  return {
    integration,
    client: createLevelClient({ ...tuning, baseUrl: integration.baseUrl, apiKey, hostPolicy: deps.levelHosts }),
  };
}

/** A Level client that draws every request from the integration's shared request budget. */
export async function openBudgetedLevelClient(
  deps: ActivityDeps,
  em: EntityManager,
  integrationId: string,
  tuning: LevelClientTuning = {},
): Promise<{ integration: LevelIntegration; client: LevelClient }> {
  const budget = createPostgresRequestBudget(em.getKnex(), integrationId, {
    requestsPerMinute: deps.levelRequestsPerMinute,
  });
  return openLevelClient(deps, em, integrationId, { budget, ...tuning });
}
