// What the Alert Webhook card hands out: the URL, the secret header and the payload templates
// for a Level automation's HTTP POST action, plus whether a native-webhook signing secret is set.
import { randomBytes } from 'node:crypto';
import type { LevelIntegration } from '../../db/entities';
import type { SecretBox } from '../../security/secret-box';
import { secretHint } from '../../security/secret-box';
import { SECRET_HEADER, SIGNATURE_HEADER } from './auth';
import { integrationSecret } from '../../db/integration-secrets';

/** Filled in by Level's automation variables; the receiver rejects any left as `{{...}}` (422). */
export function payloadTemplate(event: 'alert.triggered' | 'alert.resolved'): Record<string, string> {
  return {
    event,
    alert_id: '{{alert_id}}',
    device_id: '{{device_id}}',
    hostname: '{{device_hostname}}',
    group_id: '{{group_id}}',
    name: '{{alert_name}}',
    severity: '{{alert_severity}}',
    description: '{{alert_description}}',
    occurred_at: '{{alert_started_at}}',
  };
}

export function newWebhookSecret(): string {
  return `whs_${randomBytes(32).toString('base64url')}`;
}

export function webhookUrl(publicUrl: string, integration: Pick<LevelIntegration, 'webhookId'>): string {
  return `${publicUrl}/webhooks/level/${integration.webhookId}`;
}

export function webhookCard(publicUrl: string, integration: LevelIntegration, secretBox: SecretBox, reveal: boolean) {
  const secret = integration.webhookSecretSealed ? secretBox.open(integration.webhookSecretSealed, integrationSecret(integration, 'webhook_secret_sealed')) : null;
  const url = webhookUrl(publicUrl, integration);
  return {
    url,
    header: { name: SECRET_HEADER, value: secret === null ? null : reveal ? secret : `••••••••${secretHint(secret)}` },
    revealed: reveal,
    payloadTemplate: payloadTemplate('alert.triggered'),
    resolvedPayloadTemplate: payloadTemplate('alert.resolved'),
    signingSecretConfigured: integration.signingSecretSealed !== null && integration.signingSecretSealed !== undefined,
    nativeWebhook: { url, signatureHeader: SIGNATURE_HEADER, events: ['alert_active', 'alert_resolved'] },
    instructions:
      'In Level, create an automation triggered by alerts with an HTTP POST action to the URL, add the header, and use payloadTemplate as the JSON body ' +
      '(a second automation for resolved alerts uses resolvedPayloadTemplate). Replace each {{...}} with the matching Level variable. ' +
      'For native webhooks (Settings → Webhooks), save their signing secret with PUT /api/v1/integrations/level/webhook/signing-secret.',
  };
}
