// Authenticating webhook deliveries. Automation templates carry the integration's secret in
// `X-Alga-Webhook-Secret`; native Level webhooks sign the raw body:
// `X-Level-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`. Both checks are constant-time,
// and a failure says only what was wrong, never what was expected.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LevelIntegration } from '../../db/entities';
import { integrationSecret } from '../../db/integration-secrets';
import type { SecretBox } from '../../security/secret-box';
import { safeEqual } from '../../security/tokens';
import { ApiError } from '../errors';

export const SECRET_HEADER = 'X-Alga-Webhook-Secret';
export const SIGNATURE_HEADER = 'X-Level-Signature';

export type WebhookAuth = 'secret' | 'signature';

export function authenticateWebhook(
  integration: Pick<LevelIntegration, 'tenantId' | 'webhookSecretSealed' | 'signingSecretSealed'>,
  secretBox: SecretBox,
  headers: { secret: string | undefined; signature: string | undefined },
  raw: Buffer,
): WebhookAuth {
  if (headers.signature !== undefined && headers.signature !== '') {
    if (!integration.signingSecretSealed)
      throw unauthorized('No signing secret is configured for native Level webhooks');
    const expected = signBody(
      secretBox.open(integration.signingSecretSealed, integrationSecret(integration, 'signing_secret_sealed')),
      raw,
    );
    const given = /^sha256=([0-9a-fA-F]{64})$/.exec(headers.signature.trim())?.[1];
    if (!given || !timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'))) {
      throw unauthorized(`Invalid ${SIGNATURE_HEADER}`);
    }
    return 'signature';
  }
  if (headers.secret !== undefined && headers.secret !== '') {
    if (
      !integration.webhookSecretSealed ||
      !safeEqual(
        headers.secret,
        secretBox.open(integration.webhookSecretSealed, integrationSecret(integration, 'webhook_secret_sealed')),
      )
    ) {
      throw unauthorized(`Invalid ${SECRET_HEADER}`);
    }
    return 'secret';
  }
  throw unauthorized(`Missing ${SECRET_HEADER} or ${SIGNATURE_HEADER} header`);
}

/** Hex HMAC-SHA256 of the exact body bytes, as Level computes it. */
export function signBody(secret: string, raw: Buffer | string): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

const unauthorized = (message: string) => new ApiError(401, 'unauthorized', message);
