// The webhook receiver's core, shared by the HTTP route and the card's "test alert": admit (see
// admission.ts), authenticate, parse, then make the event durable — delivered to Temporal with
// signalWithStart or, when Temporal is unreachable, busy or slow, stored in the PostgreSQL inbox
// for the relay. Nothing is recorded before authentication succeeds, and nothing secret is logged
// or stored.
import { setTimeout as delay } from 'node:timers/promises';
import type { SignalDelivery } from '../../contracts/alerts';
import { isConnectionLost } from '../../db/connection-lost';
import { hasQueuedInInbox, settleSending, storeInInbox } from '../../db/inbox-store';
import { deliverSignal, describeDeliveryError } from '../../temporal/signal-delivery';
import { withTimeout } from '../../temporal/connection';
import type { AppDeps } from '../deps';
import { DependencyUnavailableError } from '../errors';
import { admitWebhook, type Admitted, type AdmissionRequest, type WebhookLimits } from './admission';
import { authenticateWebhook, type WebhookAuth } from './auth';
import { deliveryRecorder, flushDeliveryRecorders } from './delivery-recorder';
import { DeliveryTrail } from './delivery-trail';
import { parseJsonBody, parseWebhook, type ParsedWebhook } from './parse';
import { RecentDeliveries, type DurableIn } from './recent-deliveries';
import { signalFor } from './signal-for';

/**
 * How long a webhook waits for Temporal before its event is made durable in the inbox instead
 * (the 202 must be quick: Level's automations wait for it). The call itself carries on in the
 * background and settles the inbox row, so a slow Temporal costs no duplicate delivery.
 */
export const ACCEPT_BUDGET_MS = 25;
/** Past this, a call to Temporal counts as failed and its event is left to the relay. */
export const TEMPORAL_DELIVERY_TIMEOUT_MS = 10_000;
/**
 * Calls to Temporal this process may have on the way at once; beyond it, events go straight to
 * the inbox and the relay feeds them to Temporal at the pace it answers (backpressure).
 */
export const MAX_DIRECT_DELIVERIES = 32;

/**
 * This process's deliveries on the way: calls to Temporal (for the limit above), the durability
 * decision of each run's latest event (a run's next event waits for it, so it cannot overtake),
 * and background calls still to settle their inbox rows (awaited at shutdown).
 */
const inFlight = { calls: 0, decisions: new Map<string, Promise<unknown>>(), settling: new Set<Promise<void>>() };

/** Event ids remembered for redeliveries: about a few minutes of webhooks at a high rate, at most 8 MiB. */
export const REMEMBERED_DELIVERIES = 20_000;
const REMEMBERED_BYTES = 8 * 1024 * 1024;
const recentDeliveries = new RecentDeliveries(REMEMBERED_DELIVERIES, REMEMBERED_BYTES);

export interface WebhookRequest extends AdmissionRequest {
  /** The body, or how to read it: read only once the request is admitted. */
  raw: Buffer | (() => Promise<Buffer>);
  /** The card's test alert (logged with source `test`). */
  testAlert?: boolean;
}

export interface AcceptedWebhook {
  eventId: string;
  /** Where the event is durable now. */
  recordedIn: 'temporal' | 'inbox' | 'nowhere';
  kind: ParsedWebhook['kind'];
  auth: WebhookAuth;
  levelAlertId?: string;
  levelDeviceId?: string;
  /** The run the event went to. */
  workflowId?: string;
  /** This process or the inbox already had the event: a redelivery, not signalled again. */
  duplicate?: boolean;
}

/**
 * Accepts one webhook; `limits` (the route's) count failed attempts per webhook id and address.
 * Once authenticated, what became of it goes to the delivery log, off the accept path.
 */
export async function acceptWebhook(
  deps: AppDeps,
  request: WebhookRequest,
  limits?: WebhookLimits,
): Promise<AcceptedWebhook> {
  const admitted = await admitWebhook(deps, request, limits);
  const trail = new DeliveryTrail(
    deliveryRecorder(deps),
    admitted.target,
    request.testAlert === true,
    admitted.auth !== undefined,
  );
  try {
    const accepted = await acceptAdmitted(deps, request, admitted, trail);
    trail.accepted(accepted);
    return accepted;
  } catch (err) {
    trail.failed(err);
    throw err;
  }
}

async function acceptAdmitted(
  deps: AppDeps,
  request: WebhookRequest,
  admitted: Admitted,
  trail: DeliveryTrail,
): Promise<AcceptedWebhook> {
  const integration = admitted.target;
  const raw = typeof request.raw === 'function' ? await request.raw() : request.raw;
  const auth =
    admitted.auth ??
    authenticateWebhook(
      integration,
      deps.secretBox,
      { secret: request.secretHeader, signature: request.signatureHeader },
      raw,
    );
  admitted.proven();
  trail.authenticatedBy(auth);
  const body = parseJsonBody(raw);
  trail.body(body);
  const parsed = parseWebhook(body, new Date());
  const base = { kind: parsed.kind, auth };
  if (parsed.kind === 'ignored') {
    deps.logger.debug({ tenantId: integration.tenantId, eventType: parsed.eventType }, 'webhook event ignored');
    return { ...base, eventId: parsed.eventId, recordedIn: 'nowhere' };
  }
  const { delivery, ...names } = signalFor(integration.tenantId, integration.id, parsed, new Date());
  const { durableIn: recordedIn, duplicate } = await makeDurableOnce(deps, delivery);
  return { ...base, eventId: delivery.eventId, recordedIn, workflowId: delivery.workflowId, duplicate, ...names };
}

/** Where an event was made durable, and whether it was there already (a redelivery). */
interface Durable {
  durableIn: DurableIn;
  duplicate: boolean;
}

const DELIVERED: Durable = { durableIn: 'temporal', duplicate: false };

/**
 * Makes one event durable: delivered to Temporal within the accept budget, else stored in the
 * inbox (as `sending` while the call is still on the way, or `pending` for the relay). Throws
 * (503) only when neither Temporal nor the database took it. Events of one run are decided one
 * after another, in the order they arrived; a redelivery of one already made durable here is
 * answered with where that one went.
 */
export async function makeDurable(deps: AppDeps, delivery: SignalDelivery): Promise<DurableIn> {
  return (await makeDurableOnce(deps, delivery)).durableIn;
}

async function makeDurableOnce(deps: AppDeps, delivery: SignalDelivery): Promise<Durable> {
  const run = `${delivery.tenantId}/${delivery.workflowId}`;
  const previous = inFlight.decisions.get(run);
  const decision = (async () => {
    await previous?.catch(() => undefined);
    const earlier = recentDeliveries.get(delivery.tenantId, delivery.eventId);
    if (earlier) return { durableIn: earlier, duplicate: true };
    const decided = await decide(deps, delivery);
    recentDeliveries.remember(delivery.tenantId, delivery.eventId, decided.durableIn);
    return decided;
  })();
  inFlight.decisions.set(run, decision);
  try {
    return await decision;
  } finally {
    if (inFlight.decisions.get(run) === decision) inFlight.decisions.delete(run);
  }
}

/** Waits (at most timeoutMs) for background calls to settle their inbox rows, then writes the delivery log: for shutdown. */
export async function settleBackgroundDeliveries(timeoutMs = TEMPORAL_DELIVERY_TIMEOUT_MS): Promise<void> {
  await withTimeout(Promise.all(inFlight.settling), timeoutMs).catch(() => undefined);
  await flushDeliveryRecorders();
}

async function decide(deps: AppDeps, delivery: SignalDelivery): Promise<Durable> {
  // A run must see its events in the order they were accepted: while earlier ones wait in the
  // inbox, a later one (say, the resolve of a queued trigger) queues behind them.
  if (await hasQueuedInInbox(deps.orm.em.fork(), delivery.tenantId, delivery.workflowId)) {
    return storeForRelay(deps, delivery, 'queued behind earlier events of this run');
  }
  if (inFlight.calls >= MAX_DIRECT_DELIVERIES)
    return storeForRelay(deps, delivery, 'Temporal is busy: queued for the relay');

  inFlight.calls += 1;
  const sending = sendToTemporal(deps, delivery).finally(() => {
    inFlight.calls -= 1;
  });
  const first = await Promise.race([sending, delay(ACCEPT_BUDGET_MS, 'slow' as const)]);
  if (first === 'delivered') return DELIVERED;
  if (first !== 'slow') return storeForRelay(deps, delivery, first.failure);

  // Temporal is slow: the inbox makes the event durable now; the call settles the row later.
  let stored: boolean;
  try {
    stored = await storeInInbox(deps.orm.em.fork(), delivery, 'Temporal slower than the accept budget', 'sending');
  } catch (dbErr) {
    // The database is away too: the event is durable only if Temporal takes it after all. The
    // insert may have committed all the same (the connection was cut after PostgreSQL took it,
    // before its answer came back): settle that `sending` row as if it had been stored, or it
    // waits for the relay's takeover. Settling a row that is not there changes nothing.
    settleInBackground(deps, delivery, sending);
    if ((await sending) === 'delivered') return DELIVERED;
    throw unavailable(deps, delivery, dbErr);
  }
  settleInBackground(deps, delivery, sending);
  return { durableIn: 'inbox', duplicate: !stored };
}

/** Settles the `sending` row once its call ends (awaited at shutdown). */
function settleInBackground(
  deps: AppDeps,
  delivery: SignalDelivery,
  sending: Promise<'delivered' | { failure: string }>,
): void {
  const settled = sending.then((outcome) => settle(deps, delivery, outcome === 'delivered' ? null : outcome.failure));
  inFlight.settling.add(settled);
  void settled.finally(() => inFlight.settling.delete(settled));
}

/**
 * Pauses before settling a row again while the database is away: about 15 s in all, so that with
 * the call's own timeouts the receiver is done before the relay takes a `sending` row over
 * (ORPHANED_SENDING_MS, db/inbox-claim.ts), which would send an event Temporal already has.
 */
export const SETTLE_RETRY_PAUSES_MS = [250, 500, 1_000, 2_000, 4_000, 7_000];

/** Records how a background call ended; the relay is woken when there is work for it. */
async function settle(deps: AppDeps, delivery: SignalDelivery, failure: string | null): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const { queuedBehind } = await settleSending(deps.orm.em.fork(), delivery, failure);
      // Failed: the event must go again. Delivered: events of the run that queued behind it may go now.
      if (failure !== null || queuedBehind) deps.inboxRelay?.wake();
      return;
    } catch (err) {
      const pause = isConnectionLost(err) ? SETTLE_RETRY_PAUSES_MS[attempt] : undefined;
      if (pause !== undefined) {
        await delay(pause);
        continue;
      }
      // The row stays `sending`; the relay treats it as orphaned after a while and redelivers it.
      deps.logger.warn(
        { tenantId: delivery.tenantId, eventId: delivery.eventId, error: describeDeliveryError(err) },
        'could not settle an inbox row',
      );
      return;
    }
  }
}

/** One signalWithStart, bounded; never rejects (a failure comes back described). */
async function sendToTemporal(deps: AppDeps, delivery: SignalDelivery): Promise<'delivered' | { failure: string }> {
  try {
    const client = await withTimeout(
      deps.temporal.getClient(),
      TEMPORAL_DELIVERY_TIMEOUT_MS,
      `Temporal did not answer within ${TEMPORAL_DELIVERY_TIMEOUT_MS} ms`,
    );
    await deliverSignal(client, deps.config.taskQueue, delivery, TEMPORAL_DELIVERY_TIMEOUT_MS);
    return 'delivered';
  } catch (err) {
    return { failure: describeDeliveryError(err) };
  }
}

async function storeForRelay(deps: AppDeps, delivery: SignalDelivery, reason: string): Promise<Durable> {
  let stored: boolean;
  try {
    stored = await storeInInbox(deps.orm.em.fork(), delivery, reason);
  } catch (dbErr) {
    throw unavailable(deps, delivery, dbErr);
  }
  deps.inboxRelay?.wake();
  deps.logger.debug(
    { tenantId: delivery.tenantId, eventId: delivery.eventId, workflowId: delivery.workflowId, reason },
    'event stored in the inbox for the relay',
  );
  return { durableIn: 'inbox', duplicate: !stored };
}

function unavailable(deps: AppDeps, delivery: SignalDelivery, dbErr: unknown): DependencyUnavailableError {
  deps.logger.error(
    { tenantId: delivery.tenantId, eventId: delivery.eventId, db: describeDeliveryError(dbErr) },
    'event could not be made durable',
  );
  return new DependencyUnavailableError('database', { cause: dbErr });
}
