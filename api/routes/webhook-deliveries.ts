// Deliveries of the tenant's webhook that need a person: `POST …/webhook/deliveries/:id/redrive`
// puts a parked inbox row (one that Temporal refused, or that failed the same way too often) back
// in line for the relay. The id is the inbox row's; another tenant's row is not found. Served by
// the webhook card's router (same prefix, same bearer authentication).
import type Router from '@koa/router';
import { redriveParked } from '../../activities/inbox-relay';
import { isUuid } from '../../db/ticket-store';
import type { AppDeps } from '../deps';
import { conflict, notFound } from '../errors';
import { tenantOf } from '../middleware/auth';
import type { OpenApiRegistry } from '../openapi';

/** Adds the routes to the card's router, whose prefix is `webhookBase`. */
export function addWebhookDeliveryRoutes(router: Router, webhookBase: string, deps: AppDeps, docs: OpenApiRegistry): void {
  docs.add({
    method: 'post',
    path: `${webhookBase}/deliveries/:id/redrive`,
    summary: 'Deliver a parked webhook event again (its inbox row goes back to pending)',
    responses: { 202: '{id, status: "pending"}: the relay delivers it', 404: 'No such delivery', 409: 'The delivery is not parked' },
  });

  router.post('/deliveries/:id/redrive', async (ctx) => {
    const id = ctx.params.id ?? '';
    const outcome = isUuid(id) ? await redriveParked(deps.orm.em.fork(), tenantOf(ctx), id) : 'not_found';
    if (outcome === 'not_found') throw notFound('Delivery');
    if (outcome === 'not_parked') throw conflict('The delivery is not parked: only parked deliveries can be redriven');
    deps.inboxRelay?.wake();
    deps.logger.info({ tenantId: tenantOf(ctx), inboxId: id }, 'parked webhook delivery redriven');
    ctx.status = 202;
    ctx.body = { id, status: 'pending' };
  });
}
