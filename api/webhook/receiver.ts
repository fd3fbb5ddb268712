// The webhook receiver's core, shared by the HTTP route and the card's "test alert": authenticate,
// parse, then make the event durable — delivered to Temporal with signalWithStart or, when
// Temporal cannot be reached, stored in the PostgreSQL inbox for the relay. Nothing is recorded
// before authentication succeeds, and nothing secret is logged or stored.
import { LevelIntegrationSchema } from '../../db/entities';
import {
  alertEventDelivery, deviceNudgeDelivery, type SignalDelivery,
} from '../../activities/alert-contracts';
import { deliverSignal, describeDeliveryError, hasPendingInInbox, storeInInbox } from '../../activities/alert-delivery';
import type { AppDeps } from '../deps';
import { ApiError, DependencyUnavailableError } from '../errors';
import { authenticateWebhook, type WebhookAuth } from './auth';
import { parseJsonBody, parseWebhook, type ParsedWebhook } from './parse';

/** How long the receiver waits for Temporal before falling back to the inbox. */
export const TEMPORAL_DELIVERY_TIMEOUT_MS = 2_000;

export interface WebhookRequest {
  webhookId: string;
  secretHeader: string | undefined;
  signatureHeader: string | undefined;
  raw: Buffer;
}

export interface AcceptedWebhook {
  eventId: string;
  /** Where the event is durable now. */
  recordedIn: 'temporal' | 'inbox' | 'nowhere';
  kind: ParsedWebhook['kind'];
  auth: WebhookAuth;
  levelAlertId?: string;
  levelDeviceId?: string;
}

export async function acceptWebhook(deps: AppDeps, request: WebhookRequest): Promise<AcceptedWebhook> {
  const em = deps.orm.em;
  const integration = await em.findOne(LevelIntegrationSchema, { webhookId: request.webhookId });
  if (!integration || integration.status === 'disconnected') throw new ApiError(404, 'not_found', 'Webhook not found');
  const auth = authenticateWebhook(integration, deps.secretBox, { secret: request.secretHeader, signature: request.signatureHeader }, request.raw);
  const parsed = parseWebhook(parseJsonBody(request.raw), new Date());
  const base = { kind: parsed.kind, auth };
  if (parsed.kind === 'ignored') {
    deps.logger.debug({ tenantId: integration.tenantId, eventType: parsed.eventType }, 'webhook event ignored');
    return { ...base, eventId: parsed.eventId, recordedIn: 'nowhere' };
  }
  const delivery: SignalDelivery =
    parsed.kind === 'event'
      ? alertEventDelivery(integration.tenantId, integration.id, parsed.event)
      : deviceNudgeDelivery(integration.tenantId, integration.id, parsed.levelDeviceId, { eventId: parsed.eventId, receivedAt: new Date().toISOString() });
  const recordedIn = await makeDurable(deps, delivery);
  return {
    ...base,
    eventId: delivery.eventId,
    recordedIn,
    ...(parsed.kind === 'event' ? { levelAlertId: parsed.event.alert.levelAlertId, levelDeviceId: parsed.event.alert.levelDeviceId } : { levelDeviceId: parsed.levelDeviceId }),
  };
}

/** Delivered to Temporal, else stored in the inbox; throws (503) only when neither worked. */
export async function makeDurable(deps: AppDeps, delivery: SignalDelivery, timeoutMs = TEMPORAL_DELIVERY_TIMEOUT_MS): Promise<'temporal' | 'inbox'> {
  // A run must see its events in the order they were accepted: while earlier ones wait in the
  // inbox, a later one (say, the resolve of a queued trigger) queues behind them.
  if (await hasPendingInInbox(deps.orm.em.fork(), delivery.tenantId, delivery.workflowId)) {
    await storeInInbox(deps.orm.em.fork(), delivery, 'queued behind earlier events of this run');
    return 'inbox';
  }
  try {
    const client = await withTimeout(deps.temporal.getClient(), timeoutMs);
    await deliverSignal(client, deps.config.taskQueue, delivery, timeoutMs);
    return 'temporal';
  } catch (err) {
    const reason = describeDeliveryError(err);
    try {
      await storeInInbox(deps.orm.em.fork(), delivery, reason);
    } catch (dbErr) {
      deps.logger.error({ tenantId: delivery.tenantId, eventId: delivery.eventId, reason, db: describeDeliveryError(dbErr) }, 'event could not be made durable');
      throw new DependencyUnavailableError('database', { cause: dbErr });
    }
    deps.logger.warn({ tenantId: delivery.tenantId, eventId: delivery.eventId, workflowId: delivery.workflowId, reason }, 'Temporal unreachable: event stored in the inbox');
    return 'inbox';
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Temporal did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
