// What the Alert Webhook card hands out: the URL, the secret header and the payload template
// for a Level automation's HTTP POST action, plus whether a native-webhook signing secret is set,
// and the setup steps (native signed webhooks first, the automation as the alternative).
import { randomBytes } from 'node:crypto';
import type { LevelIntegration } from '../../db/entities';
import type { SecretBox } from '../../security/secret-box';
import { secretHint } from '../../security/secret-box';
import { SECRET_HEADER, SIGNATURE_HEADER } from './auth';
import { integrationSecret } from '../../db/integration-secrets';

/**
 * The automation's JSON body, pasted unchanged: Level fills only its system variables (it has no
 * alert variables), so the body names the device and the receiver reconciles that device's
 * alerts from Level's API (api.md, "Automation payload template").
 */
export const AUTOMATION_PAYLOAD_TEMPLATE: Readonly<Record<string, string>> = Object.freeze({
  event: 'device_alert',
  device_id: '{{level_device_id}}',
  hostname: '{{level_device_hostname}}',
  group_id: '{{level_group_id}}',
  group_path: '{{level_group_path}}',
  occurred_at: '{{level_time}}',
});

export function payloadTemplate(): Record<string, string> {
  return { ...AUTOMATION_PAYLOAD_TEMPLATE };
}

/** The native events the receiver acts on (Settings → Webhooks in Level). */
export const NATIVE_EVENTS = [
  'alert_active',
  'alert_resolved',
  'device_created',
  'device_updated',
  'device_deleted',
  'group_created',
  'group_updated',
  'group_deleted',
] as const;

/** The setup steps, in the order of Level's screens. */
export const SETUP_STEPS = {
  native: [
    'In Level, open Settings → Webhooks and click Create webhook.',
    'Paste the Webhook URL as the endpoint.',
    `Select the events ${NATIVE_EVENTS.join(', ')}.`,
    "Save, copy the signing secret Level shows, and save it here as the native webhook's signing secret.",
    'Click Send test alert: the ticket it opens shows that alerts reach the PSA.',
  ],
  automation: [
    'In Level, open Automations and create an automation with an alert trigger (the alerts it should forward).',
    'Add an HTTP request action: method POST, the Webhook URL as the URL, content type JSON.',
    `Add the header ${SECRET_HEADER} with the header value (reveal or copy it here).`,
    "Paste the payload template as the body, unchanged: Level fills in its variables; the PSA then reads the device's alerts from Level's API (resolved ones close their tickets).",
    'Save and enable the automation.',
  ],
} as const;

export function newWebhookSecret(): string {
  return `whs_${randomBytes(32).toString('base64url')}`;
}

export function webhookUrl(publicUrl: string, integration: Pick<LevelIntegration, 'webhookId'>): string {
  return `${publicUrl}/webhooks/level/${integration.webhookId}`;
}

export function webhookCard(publicUrl: string, integration: LevelIntegration, secretBox: SecretBox, reveal: boolean) {
  const secret = integration.webhookSecretSealed
    ? secretBox.open(integration.webhookSecretSealed, integrationSecret(integration, 'webhook_secret_sealed'))
    : null;
  const url = webhookUrl(publicUrl, integration);
  return {
    url,
    header: { name: SECRET_HEADER, value: secret === null ? null : reveal ? secret : `••••••••${secretHint(secret)}` },
    revealed: reveal,
    payloadTemplate: payloadTemplate(),
    signingSecretConfigured: integration.signingSecretSealed !== null && integration.signingSecretSealed !== undefined,
    nativeWebhook: { url, signatureHeader: SIGNATURE_HEADER, events: [...NATIVE_EVENTS] },
    setupSteps: SETUP_STEPS,
    instructions:
      'Recommended: a native Level webhook (Settings → Webhooks) to the URL with the events listed, its signing secret saved here: it carries full alerts, ' +
      'their resolution, and device and group changes. Alternative: an automation with an HTTP POST action to the URL, the header, and payloadTemplate ' +
      "pasted unchanged as the JSON body (Level fills in its variables; the PSA reads that device's alerts from Level's API).",
  };
}
