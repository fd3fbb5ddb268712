// The webhook's delivery log and what needs a person in it. `GET …/webhook/deliveries`: every
// authenticated delivery with its outcome, newest first. A delivery whose event sits parked in
// the inbox shows as `parked` with the inbox's error: read from the inbox row when the page is
// read (nothing is written on the relay's path, and a redrive shows at once). `POST
// …/webhook/deliveries/:id/redrive` puts a parked inbox row back in line for the relay; `:id` is
// the inbox row's or the log's id of that delivery. Another tenant's row is not found. Served by
// the webhook card's router (same prefix, same bearer authentication).
import type Router from '@koa/router';
import { redriveParked } from '../../db/inbox-store';
import { inboxIdOfDelivery, inboxStates, type InboxState } from '../../db/delivery-log-store';
import { WebhookDeliverySchema, type WebhookDelivery } from '../../db/entities';
import { isUuid } from '../../db/ticket-store';
import type { AppDeps } from '../deps';
import { conflict, notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';
import { deliveryResponse, pageOfSchema, redriveResponse } from '../schemas';
import { findPage, pageQuery } from '../pagination';
import { parseInput } from '../validation';
import { findIntegration } from '../integration-operations';

/** Adds the routes to the card's router, whose prefix is `webhookBase`. */
export function addWebhookDeliveryRoutes(
  router: Router,
  webhookBase: string,
  deps: AppDeps,
  docs: OpenApiRegistry,
): void {
  docs.add({
    method: 'get',
    path: `${webhookBase}/deliveries`,
    summary:
      'The delivery log: every authenticated webhook delivery and its outcome, newest first (kept 30 days, at most 10,000)',
    query: pageQuery,
    responses: {
      200: { description: 'A page of deliveries', schema: pageOfSchema(deliveryResponse) },
      400: 'Invalid query',
      404: 'Never configured',
    },
  });
  docs.add({
    method: 'post',
    path: `${webhookBase}/deliveries/:id/redrive`,
    summary:
      'Deliver a parked webhook event again (its inbox row goes back to pending); :id is the inbox row or the logged delivery',
    responses: {
      202: { description: 'The relay delivers it', schema: redriveResponse },
      404: 'No such delivery',
      409: 'The delivery is not parked',
    },
  });

  router.get('/deliveries', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const pageRequest = parseInput(pageQuery.strict(), ctx.query, 'query');
    await findIntegration(deps.orm.em, tenantId);
    const em = deps.orm.em.fork();
    const page = await findPage(
      em,
      WebhookDeliverySchema,
      { tenantId },
      { receivedAt: 'desc', id: 'desc' },
      pageRequest,
    );
    const accepted = page.items.filter(
      (row) => row.outcome === 'accepted' && row.recordedIn === 'inbox' && row.eventId !== null,
    );
    const inbox = await inboxStates(em, tenantId, [...new Set(accepted.map((row) => row.eventId!))]);
    ctx.body = {
      items: page.items.map((row) => deliveryView(row, row.eventId ? inbox.get(row.eventId) : undefined)),
      nextCursor: page.nextCursor,
    };
  });

  router.post('/deliveries/:id/redrive', async (ctx) => {
    const tenantId = tenantOf(ctx);
    const id = ctx.params.id ?? '';
    const em = deps.orm.em.fork();
    let outcome = isUuid(id) ? await redriveParked(em, tenantId, id) : 'not_found';
    if (outcome === 'not_found' && isUuid(id)) {
      const inboxId = await inboxIdOfDelivery(em, tenantId, id);
      if (inboxId) outcome = await redriveParked(em, tenantId, inboxId);
    }
    if (outcome === 'not_found') throw notFound('Delivery');
    if (outcome === 'not_parked') throw conflict('The delivery is not parked: only parked deliveries can be redriven');
    deps.inboxRelay?.wake();
    deps.logger.info({ tenantId, deliveryId: id }, 'parked webhook delivery redriven');
    ctx.status = 202;
    ctx.body = { id, status: 'pending' };
  });
}

/** The contract's delivery; fields not known for this delivery are left out. */
function deliveryView(row: WebhookDelivery, inbox: InboxState | undefined) {
  const parked = row.outcome === 'accepted' && inbox?.status === 'parked';
  const error = parked ? inbox.lastError : row.error;
  return {
    id: row.id,
    receivedAt: row.receivedAt.toISOString(),
    source: row.source,
    eventType: row.eventType,
    eventId: row.eventId,
    outcome: parked ? 'parked' : row.outcome,
    httpStatus: row.httpStatus,
    ...(row.recordedIn ? { recordedIn: row.recordedIn } : {}),
    ...(row.levelAlertId ? { levelAlertId: row.levelAlertId } : {}),
    ...(row.levelDeviceId ? { levelDeviceId: row.levelDeviceId } : {}),
    ...(row.workflowId ? { workflowId: row.workflowId } : {}),
    ...(error ? { error } : {}),
    ...(parked ? { inboxId: inbox.id } : {}),
  };
}
