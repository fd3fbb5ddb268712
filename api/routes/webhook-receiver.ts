// `POST /webhooks/level/:webhookId`: Level's automations and native webhooks deliver alerts here.
// No bearer token: the unguessable webhook id picks the integration and the secret header or
// body signature authenticates. Mounted outside /api/v1, so it reads the raw body itself, and
// only once the request is admitted (failed attempts are limited per webhook id and address).
import Router from '@koa/router';
import type { AppDeps } from '../deps';
import type { OpenApiRegistry } from '../openapi';
import { webhookAcceptedResponse } from '../schemas';
import type { WebhookLimits } from '../webhook/admission';
import { SECRET_HEADER, SIGNATURE_HEADER } from '../webhook/auth';
import { RateLimitedError } from '../webhook/failure-limiter';
import { readRawJsonBody } from '../webhook/raw-body';
import { acceptWebhook } from '../webhook/receiver';
import { countAcceptedWebhook, countRefusedWebhook, webhookSource } from '../../metrics/webhook-metrics';

export const WEBHOOK_PATH = '/webhooks/level/:webhookId';

/** `limits` are the process's failed-attempt limits, shared with the early refusal (see app.ts). */
export function webhookReceiverRoutes(deps: AppDeps, docs: OpenApiRegistry, limits: WebhookLimits): Router {
  const router = new Router();
  docs.add({
    method: 'post',
    path: WEBHOOK_PATH,
    summary: `Receive Level's news: the automation template (device_alert, or explicit alert fields) with ${SECRET_HEADER}, or a native webhook (alert, device and group events) signed with ${SIGNATURE_HEADER}`,
    public: true,
    responses: {
      202: {
        description:
          '{accepted: true, eventId} once durably recorded (a redelivery answers 202 too); reconcileDevice: true for a device nudge, syncObject: true for a device or group event, ignored: true for a native event type not ours',
        schema: webhookAcceptedResponse,
      },
      400: 'Malformed JSON, a field over its limit, missing fields or unknown event',
      401: 'Missing or wrong secret / signature',
      404: 'Unknown webhook id',
      413: 'Body over 256 KB',
      415: 'Not JSON',
      422: 'Template placeholders were never filled in by Level',
      429: 'Too many failed attempts for this webhook id or from this address (Retry-After)',
    },
  });

  router.post(WEBHOOK_PATH, async (ctx) => {
    const started = performance.now();
    try {
      const accepted = await acceptWebhook(
        deps,
        {
          webhookId: ctx.params.webhookId ?? '',
          clientAddress: ctx.ip,
          secretHeader: ctx.get(SECRET_HEADER) || undefined,
          signatureHeader: ctx.get(SIGNATURE_HEADER) || undefined,
          raw: () => readRawJsonBody(ctx),
        },
        limits,
      );
      ctx.status = 202;
      // How long the service took to make the event durable, apart from the network and queues.
      const took = performance.now() - started;
      ctx.set('Server-Timing', `accept;dur=${took.toFixed(1)};desc="${accepted.recordedIn}"`);
      countAcceptedWebhook(accepted.auth === 'signature' ? 'native' : 'automation', accepted.recordedIn, took / 1000);
      ctx.body = {
        accepted: true,
        eventId: accepted.eventId,
        ...(accepted.kind === 'ignored' ? { ignored: true } : {}),
        ...(accepted.kind === 'nudge' ? { reconcileDevice: true } : {}),
        ...(accepted.kind === 'change' ? { syncObject: true } : {}),
      };
    } catch (err) {
      countRefusedWebhook(webhookSource({ secret: ctx.get(SECRET_HEADER), signature: ctx.get(SIGNATURE_HEADER) }), err);
      if (err instanceof RateLimitedError) ctx.set('Retry-After', String(err.retryAfterSeconds));
      throw err;
    }
  });
  return router;
}
