// The webhook inbox (`webhook_inbox`): deliveries the receiver could not hand to Temporal at once
// wait here for the inbox relay (runtime/inbox-relay.ts), keyed by tenant and event id so a
// redelivered event is stored once. The relay's batch claiming is in inbox-claim.ts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { SignalDelivery } from '../contracts/alerts';

/** Delivered rows are kept this long (for operators), then deleted. */
const DELIVERED_RETENTION = '7 days';

/**
 * Stores a delivery in the inbox: `pending` for the relay, or `sending` while the caller's own
 * signalWithStart is still on the way (settle it with `settleSending`). A redelivered event (same
 * tenant and event id) is stored once; returns true when this call stored it.
 */
export async function storeInInbox(
  em: EntityManager,
  delivery: SignalDelivery,
  error: string,
  status: 'pending' | 'sending' = 'pending',
): Promise<boolean> {
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
export async function settleSending(
  em: EntityManager,
  delivery: Pick<SignalDelivery, 'tenantId' | 'eventId' | 'workflowId'>,
  failure: string | null,
): Promise<{ queuedBehind: boolean }> {
  const settle =
    failure === null
      ? `update "webhook_inbox" set "status" = 'delivered', "delivered_at" = clock_timestamp() where "tenant_id" = ? and "event_id" = ? and "status" = 'sending'`
      : `update "webhook_inbox" set "status" = 'pending', "attempts" = "attempts" + 1, "last_error" = ? where "tenant_id" = ? and "event_id" = ? and "status" = 'sending'`;
  const rows = await em.execute<Array<{ queued_behind: boolean }>>(
    `with "settled" as (${settle} returning 1)
     select exists (select 1 from "webhook_inbox" where "tenant_id" = ? and "workflow_id" = ? and "status" = 'pending') as "queued_behind"`,
    [
      ...(failure === null ? [] : [failure.slice(0, 500)]),
      delivery.tenantId,
      delivery.eventId,
      delivery.tenantId,
      delivery.workflowId,
    ],
  );
  return { queuedBehind: rows[0]?.queued_behind === true };
}

/** Rows still to be delivered: pending ones, and sending ones a receiver (or, orphaned, the relay) will settle. */
export async function countQueued(em: EntityManager): Promise<number> {
  const [count] = await em.execute<Array<{ n: string }>>(
    `select count(*) as n from "webhook_inbox" where "status" in ('pending', 'sending')`,
  );
  return Number(count?.n ?? 0);
}

/** Deletes delivered rows past their retention (by creation time, which is indexed). */
export async function deleteDeliveredRows(em: EntityManager): Promise<number> {
  const knex = em.getKnex();
  return knex('webhook_inbox')
    .where('status', 'delivered')
    .andWhere('created_at', '<', knex.raw(`now() - interval '${DELIVERED_RETENTION}'`))
    .delete();
}

/**
 * Puts a parked row of the tenant back in line (its attempts and last error kept, its streak
 * reset). `not_found` also for another tenant's row; `not_parked` when it is not parked.
 */
export async function redriveParked(
  em: EntityManager,
  tenantId: string,
  id: string,
): Promise<'redriven' | 'not_parked' | 'not_found'> {
  const rows = await em.execute<Array<{ status: string; redriven: boolean }>>(
    `with "redriven" as (
       update "webhook_inbox" set "status" = 'pending', "failure_streak" = 0, "retry_at" = null, "parked_at" = null
       where "id" = ? and "tenant_id" = ? and "status" = 'parked' returning "id")
     select "status", exists (select 1 from "redriven") as "redriven" from "webhook_inbox" where "id" = ? and "tenant_id" = ?`,
    [id, tenantId, id, tenantId],
  );
  const row = rows[0];
  if (!row) return 'not_found';
  return row.redriven ? 'redriven' : 'not_parked';
}
