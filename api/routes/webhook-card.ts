// The Alert Webhook card: what to paste into Level (URL, secret header, payload templates),
// rotating the secret, saving a native webhook's signing secret, and sending a test alert
// through the receiver.
import Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AlertSchema, type LevelIntegration } from '../../db/entities';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { webhookCardResponse, webhookTestResponse } from '../schemas';
import { parseInput } from '../validation';
import { newWebhookSecret, webhookCard } from '../webhook/card';
import { acceptWebhook } from '../webhook/receiver';
import { countAcceptedWebhook } from '../../metrics/webhook-metrics';
import { webhookTargets } from '../webhook/target-cache';
import { testAlertDevice } from '../webhook/test-alert-device';
import { findIntegration } from '../integration-operations';
import { addWebhookDeliveryRoutes } from './webhook-deliveries';
import { integrationSecret } from '../../db/integration-secrets';
import { deliveryStats } from '../../db/delivery-log-store';

const cardQuery = z.object({ reveal: z.enum(['true', 'false']).optional() });
export const signingSecretBody = z
  .object({
    secret: z.string().trim().min(16, 'The signing secret is too short (at least 16 characters)').max(512).nullable(),
  })
  .strict();

/** How long the test alert waits for its ticket. */
const TEST_WAIT_MS = 10_000;

export function webhookCardRoutes(deps: AppDeps, docs: OpenApiRegistry): Router {
  const base = '/integrations/level/webhook';
  const router = new Router({ prefix: base });
  const em = () => deps.orm.em;
  const card = (description: string) => ({ description, schema: webhookCardResponse });
  docs.add({
    method: 'get',
    path: base,
    summary: 'The Alert Webhook card (secret masked unless reveal=true)',
    query: cardQuery,
    responses: { 200: card('Webhook URL, header, payload template'), 404: 'Never configured' },
  });
  docs.add({
    method: 'post',
    path: `${base}/rotate-secret`,
    summary: 'Rotate the webhook secret (the new one is shown once)',
    responses: { 200: card('The webhook card, revealed'), 404: 'Never configured' },
  });
  docs.add({
    method: 'put',
    path: `${base}/signing-secret`,
    summary: 'Save (or clear with null) the signing secret of a native Level webhook',
    body: signingSecretBody,
    responses: { 200: card('The webhook card'), 400: 'Invalid input', 404: 'Never configured' },
  });
  docs.add({
    method: 'post',
    path: `${base}/test`,
    summary: 'Send a sample alert through the receiver; answers the alert and its ticket',
    responses: {
      200: { description: 'The alert (and ticket once routed)', schema: webhookTestResponse },
      404: 'Never configured',
      409: 'Integration disconnected, or no synced device of a mapped group yet',
    },
  });

  const usable = async (tenantId: string): Promise<LevelIntegration> => {
    const integration = await findIntegration(em(), tenantId);
    if (integration.status === 'disconnected')
      throw new ApiError(409, 'disconnected', 'The Level integration is disconnected: save an API key again first');
    return integration;
  };

  /** Saves changed secrets; the receiver's cached copy of them goes at once. */
  const saveSecrets = async (integration: LevelIntegration): Promise<void> => {
    await em().flush();
    webhookTargets.forget(integration.webhookId);
  };

  /** The secret is created on first use, so every configured integration has one to hand out. */
  const withSecret = async (integration: LevelIntegration): Promise<LevelIntegration> => {
    if (!integration.webhookSecretSealed) {
      integration.webhookSecretSealed = deps.secretBox.seal(
        newWebhookSecret(),
        integrationSecret(integration, 'webhook_secret_sealed'),
      );
      await saveSecrets(integration);
    }
    return integration;
  };

  router.get('/', async (ctx) => {
    const { reveal } = parseInput(cardQuery, ctx.query, 'query');
    const integration = await withSecret(await usable(tenantOf(ctx)));
    ctx.body = {
      ...webhookCard(deps.config.publicUrl, integration, deps.secretBox, reveal === 'true'),
      deliveryStats: await deliveryStats(em(), integration.id),
    };
  });

  router.post('/rotate-secret', async (ctx) => {
    const integration = await usable(tenantOf(ctx));
    integration.webhookSecretSealed = deps.secretBox.seal(
      newWebhookSecret(),
      integrationSecret(integration, 'webhook_secret_sealed'),
    );
    await saveSecrets(integration);
    deps.logger.info({ tenantId: integration.tenantId }, 'webhook secret rotated');
    ctx.body = webhookCard(deps.config.publicUrl, integration, deps.secretBox, true);
  });

  router.put('/signing-secret', async (ctx) => {
    const { secret } = parseInput(signingSecretBody, ctx.request.body);
    const integration = await withSecret(await usable(tenantOf(ctx)));
    integration.signingSecretSealed =
      secret === null ? null : deps.secretBox.seal(secret, integrationSecret(integration, 'signing_secret_sealed'));
    await saveSecrets(integration);
    ctx.body = webhookCard(deps.config.publicUrl, integration, deps.secretBox, false);
  });

  router.post('/test', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const integration = await withSecret(await usable(tenantId));
    // A synced device of a mapped group, so the ticket lands on a client and asset (else 409).
    const asset = await testAlertDevice(em(), tenantId);
    const levelAlertId = `alga-test-${randomUUID()}`;
    const body = {
      event: 'alert.triggered',
      alert_id: levelAlertId,
      device_id: asset.levelDeviceId,
      hostname: asset.hostname,
      group_id: asset.levelGroupId ?? '',
      name: 'Test alert from the PSA',
      severity: 'information',
      description: 'A sample alert sent by the Alert Webhook card to check that alerts reach the PSA.',
      occurred_at: new Date().toISOString(),
    };
    const started = performance.now();
    const accepted = await acceptWebhook(deps, {
      webhookId: integration.webhookId,
      secretHeader: deps.secretBox.open(
        integration.webhookSecretSealed!,
        integrationSecret(integration, 'webhook_secret_sealed'),
      ),
      signatureHeader: undefined,
      raw: Buffer.from(JSON.stringify(body)),
      testAlert: true,
    });
    countAcceptedWebhook('test', accepted.recordedIn, (performance.now() - started) / 1000);
    const alert = await waitForRouting(deps, tenantId, levelAlertId, TEST_WAIT_MS);
    ctx.body = {
      accepted: true,
      eventId: accepted.eventId,
      recordedIn: accepted.recordedIn,
      levelAlertId,
      alertId: alert?.id ?? null,
      ticketId: alert?.ticketId ?? null,
      status: alert?.status ?? 'pending',
      matchedRuleId: alert?.matchedRuleId ?? null,
    };
  });
  addWebhookDeliveryRoutes(router, base, deps, docs);
  return router;
}

/**
 * Polls until the alert is recorded. Routing writes the alert row and its ticket in one
 * transaction, so a visible row is a routed one.
 */
async function waitForRouting(deps: AppDeps, tenantId: string, levelAlertId: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const alert = await deps.orm.em.fork().findOne(AlertSchema, { tenantId, levelAlertId });
    if (alert || Date.now() >= deadline) return alert;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
