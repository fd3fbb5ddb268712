// Delivering alert pipeline signals to Temporal (signalWithStart), and the PostgreSQL inbox that
// holds them while Temporal is unreachable or slow. Used by the webhook receiver, the ticket-closed hook,
// the inbox relay, and backfill (with the activity's own client).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { deliveryRunMetadata } from '../temporal/delivery-run-metadata';
import type { SignalDelivery } from '../contracts/alerts';

/** Sends one signalWithStart; the run is started if it does not exist (or has closed). */
export async function deliverSignal(client: Client, taskQueue: string, delivery: SignalDelivery, timeoutMs?: number): Promise<void> {
  const send = () =>
    client.workflow.signalWithStart(delivery.workflowType, {
      workflowId: delivery.workflowId,
      taskQueue,
      args: delivery.workflowArgs,
      signal: delivery.signalName,
      signalArgs: delivery.signalArgs,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      ...deliveryRunMetadata(delivery),
    });
  if (timeoutMs === undefined) await send();
  else await client.withDeadline(Date.now() + timeoutMs, send);
}

/**
 * Stores a delivery in the inbox: `pending` for the relay, or `sending` while the caller's own
 * signalWithStart is still on the way (settle it with `settleSending`). A redelivered event (same
 * tenant and event id) is stored once; returns true when this call stored it.
 */
export async function storeInInbox(em: EntityManager, delivery: SignalDelivery, error: string, status: 'pending' | 'sending' = 'pending'): Promise<boolean> {
  const rows = await em.execute<Array<{ id: string }>>(
    `insert into "webhook_inbox" ("id", "tenant_id", "event_id", "workflow_id", "workflow_type", "workflow_args", "signal_name", "signal_args",
       "summary", "status", "attempts", "last_error", "created_at")
     values (?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, 1, ?, clock_timestamp())
     on conflict ("tenant_id", "event_id") do nothing
     returning "id"`,
    [
      randomUUID(),
      delivery.tenantId,
      delivery.eventId,
      delivery.workflowId,
      delivery.workflowType,
      JSON.stringify(delivery.workflowArgs),
      delivery.signalName,
      JSON.stringify(delivery.signalArgs),
      delivery.summary,
      status,
      error.slice(0, 500),
    ],
  );
  return rows.length > 0;
}

/**
 * A short, secret-free description of why Temporal did not take a delivery, with the service's
 * own reason (the client wraps it: "Failed to signalWithStart Workflow" alone says nothing).
 */
export function describeDeliveryError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 300);
  const cause = err.cause instanceof Error && err.cause.message !== err.message ? ` (${err.cause.message})` : '';
  return `${err.name}: ${err.message}${cause}`.slice(0, 300);
}

/** True while earlier events for this run still wait in the inbox (later ones must queue behind). */
export async function hasQueuedInInbox(em: EntityManager, tenantId: string, workflowId: string): Promise<boolean> {
  const rows = await em.execute<Array<{ queued: number }>>(
    `select 1 as "queued" from "webhook_inbox" where "tenant_id" = ? and "workflow_id" = ? and "status" in ('pending', 'sending') limit 1`,
    [tenantId, workflowId],
  );
  return rows.length > 0;
}

/**
 * The outcome of a `sending` row's own call: delivered, or pending for the relay (with why).
 * Also tells whether later events of the same run wait in the inbox behind it.
 */
export async function settleSending(em: EntityManager, delivery: Pick<SignalDelivery, 'tenantId' | 'eventId' | 'workflowId'>, failure: string | null): Promise<{ queuedBehind: boolean }> {
  const settle =
    failure === null
      ? `update "webhook_inbox" set "status" = 'delivered', "delivered_at" = clock_timestamp() where "tenant_id" = ? and "event_id" = ? and "status" = 'sending'`
      : `update "webhook_inbox" set "status" = 'pending', "attempts" = "attempts" + 1, "last_error" = ? where "tenant_id" = ? and "event_id" = ? and "status" = 'sending'`;
  const rows = await em.execute<Array<{ queued_behind: boolean }>>(
    `with "settled" as (${settle} returning 1)
     select exists (select 1 from "webhook_inbox" where "tenant_id" = ? and "workflow_id" = ? and "status" = 'pending') as "queued_behind"`,
    [...(failure === null ? [] : [failure.slice(0, 500)]), delivery.tenantId, delivery.eventId, delivery.tenantId, delivery.workflowId],
  );
  return { queuedBehind: rows[0]?.queued_behind === true };
}
