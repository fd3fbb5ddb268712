// Saving a tenant's Level configuration (the admin API and the demo mode of `npm start`).
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes, randomUUID } from 'node:crypto';
import { secretHint, type SecretBox } from '../security/secret-box';
import { ensureDefaultRules } from './default-rules';
import { LevelIntegrationSchema, type LevelIntegration } from './entities';
import { integrationSecret } from './integration-secrets';

export const DEFAULT_LEVEL_BASE_URL = 'https://api.level.io';

export interface IntegrationSettings {
  apiKey: string;
  baseUrl?: string;
}

/** Creates or replaces the configuration; the key is stored sealed, with only a hint in clear. */
export async function saveIntegration(
  em: EntityManager,
  secretBox: SecretBox,
  tenantId: string,
  input: IntegrationSettings,
): Promise<LevelIntegration> {
  const now = new Date();
  const secrets = {
    apiKeySealed: secretBox.seal(input.apiKey, integrationSecret({ tenantId }, 'api_key_sealed')),
    apiKeyHint: secretHint(input.apiKey),
  };
  // A new key has not been tested yet: the status goes back to "configured" until it is.
  const reset = { status: 'configured' as const, connectedAt: null, lastError: null, updatedAt: now };
  const existing = await em.findOne(LevelIntegrationSchema, { tenantId });
  if (existing) {
    Object.assign(existing, secrets, reset, { baseUrl: input.baseUrl ?? existing.baseUrl });
    await em.flush();
    return existing;
  }
  const created = em.create(LevelIntegrationSchema, {
    id: randomUUID(),
    tenantId,
    baseUrl: input.baseUrl ?? DEFAULT_LEVEL_BASE_URL,
    webhookId: randomBytes(24).toString('base64url'),
    lastTestedAt: null,
    createdAt: now,
    ...secrets,
    ...reset,
  });
  await em.flush();
  // A new integration starts with one editable catch-all rule, so a first test alert makes a ticket.
  await ensureDefaultRules(em, tenantId);
  return created;
}

/** What the webhook receiver needs of the integration a webhook id names. */
export type WebhookTarget = Pick<
  LevelIntegration,
  'id' | 'tenantId' | 'status' | 'webhookSecretSealed' | 'signingSecretSealed'
>;

/** The integration behind a webhook id, or null. One plain query: the receiver runs it per webhook. */
export async function findWebhookTarget(em: EntityManager, webhookId: string): Promise<WebhookTarget | null> {
  const rows = await em.execute<
    Array<{
      id: string;
      tenant_id: string;
      status: WebhookTarget['status'];
      webhook_secret_sealed: string | null;
      signing_secret_sealed: string | null;
    }>
  >(
    `select "id", "tenant_id", "status", "webhook_secret_sealed", "signing_secret_sealed" from "level_integrations" where "webhook_id" = ?`,
    [webhookId],
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        tenantId: row.tenant_id,
        status: row.status,
        webhookSecretSealed: row.webhook_secret_sealed,
        signingSecretSealed: row.signing_secret_sealed,
      }
    : null;
}
