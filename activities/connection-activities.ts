// Activities of the Test Connection workflow.
import { LevelIntegrationSchema, type IntegrationError } from '../db/entities';
import type { ActivityDeps } from './deps';
import { openLevelClient } from './level-access';
import { toActivityFailure } from './level-failure';

export function createConnectionActivities(deps: ActivityDeps) {
  const fork = () => deps.orm.em.fork();

  return {
    /**
     * Calls `GET /v2/groups?limit=1`; marks the integration connected on success, unless its key
     * or address was changed while the call was on the way (the new settings are still untested).
     */
    async checkLevelConnection({ integrationId }: { integrationId: string }): Promise<{ connectedAt: string }> {
      const em = fork();
      // Temporal owns the retries (visible in the UI as attempts), so the client makes one try.
      const { client, integration } = await openLevelClient(deps, em, integrationId, { maxRetries: 0 });
      try {
        await client.listGroupsPage({ limit: 1 });
      } catch (err) {
        throw toActivityFailure(err);
      }
      const now = new Date();
      // Each save seals the key afresh, so an unchanged sealed value means the tested key is still the saved one.
      await em.nativeUpdate(
        LevelIntegrationSchema,
        {
          id: integrationId,
          status: { $ne: 'disconnected' },
          apiKeySealed: integration.apiKeySealed,
          baseUrl: integration.baseUrl,
        },
        { status: 'connected', connectedAt: now, lastTestedAt: now, lastError: null, updatedAt: now },
      );
      return { connectedAt: now.toISOString() };
    },

    /** Records a failed test; the saved key and settings are left as they are. */
    async recordConnectionFailure({
      integrationId,
      error,
    }: {
      integrationId: string;
      error: IntegrationError;
    }): Promise<void> {
      const now = new Date();
      await fork().nativeUpdate(
        LevelIntegrationSchema,
        { id: integrationId, status: { $ne: 'disconnected' } },
        { status: 'error', lastTestedAt: now, lastError: error, updatedAt: now },
      );
    },
  };
}
