import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { timestamps } from './columns';

export const INTEGRATION_STATUSES = ['configured', 'connected', 'error', 'disconnected'] as const;

export interface IntegrationError {
  code: string;
  message: string;
}

/**
 * A tenant's one Level integration. Secrets are stored sealed (AES-256-GCM, see
 * security/secret-box.ts) and only ever opened inside activities and the webhook receiver.
 */
export const LevelIntegrationSchema = defineEntity({
  name: 'LevelIntegration',
  tableName: 'level_integrations',
  properties: (p) => ({
    id: p.uuid().primary(),
    tenantId: p.uuid().unique(),
    baseUrl: p.text(),
    apiKeySealed: p.text().nullable(),
    apiKeyHint: p.text().nullable(),
    status: p.enum([...INTEGRATION_STATUSES]).columnType('text'),
    connectedAt: p.datetime().columnType('timestamptz').nullable(),
    lastTestedAt: p.datetime().columnType('timestamptz').nullable(),
    lastError: p.json<IntegrationError>().nullable(),
    /** Unguessable id used in the webhook URL handed to Level. */
    webhookId: p.text().unique(),
    /** The `X-Alga-Webhook-Secret` value of automation webhooks (sealed); created on first use. */
    webhookSecretSealed: p.text().nullable(),
    /** The secret of a native Level webhook, for `X-Level-Signature` checks (sealed). */
    signingSecretSealed: p.text().nullable(),
    ...timestamps(),
  }),
});

export type LevelIntegration = InferEntity<typeof LevelIntegrationSchema>;
