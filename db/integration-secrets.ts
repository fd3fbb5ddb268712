// Where each sealed secret of a Level integration lives: the associated data its ciphertext is
// bound to (security/secret-box.ts), so a value copied to another column or tenant never opens.
import type { SealContext } from '../security/secret-box';

export const INTEGRATION_SECRET_COLUMNS = ['api_key_sealed', 'webhook_secret_sealed', 'signing_secret_sealed'] as const;
export type IntegrationSecretColumn = (typeof INTEGRATION_SECRET_COLUMNS)[number];

export function integrationSecret(integration: { tenantId: string }, column: IntegrationSecretColumn): SealContext {
  return { tenantId: integration.tenantId, table: 'level_integrations', column };
}
