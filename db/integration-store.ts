// Saving a tenant's Level configuration (the admin API and the demo mode of `npm start`).
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomBytes, randomUUID } from 'node:crypto';
import { secretHint, type SecretBox } from '../security/secret-box';
import { ensureDefaultRules } from './default-rules';
import { LevelIntegrationSchema, type LevelIntegration } from './entities';

export const DEFAULT_LEVEL_BASE_URL = 'https://api.level.io';

export interface IntegrationSettings {
  apiKey: string;
  baseUrl?: string;
}

/** Creates or replaces the configuration; the key is stored sealed, with only a hint in clear. */
export async function saveIntegration(em: EntityManager, secretBox: SecretBox, tenantId: string, input: IntegrationSettings): Promise<LevelIntegration> {
  const now = new Date();
  const secrets = { apiKeySealed: secretBox.seal(input.apiKey), apiKeyHint: secretHint(input.apiKey) };
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
