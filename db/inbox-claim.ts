// Which inbox rows a relay pass takes next, and what it writes back about them. Taken fairly: each
// tenant with queued rows gets an equal share of the batch (its oldest rows), so a tenant with
// 10,000 waiting rows delays another tenant's new event by at most one batch. Rows are locked with
// `for update skip locked`: several API processes relay at once without sending a row twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AfterFailure } from '../domain/inbox-retry';

export interface InboxRow {
  id: string;
  tenant_id: string;
  event_id: string;
  workflow_id: string;
  workflow_type: string;
  workflow_args: unknown[];
  signal_name: string;
  signal_args: unknown[];
  summary: string | null;
  last_error: string | null;
  failure_streak: number;
  created_at: Date;
}

/**
 * A `sending` row whose receiver never settled it (the API process died mid-call) is taken over
 * after this long. A live receiver is done with its row before: its call (a connection, then the
 * signal) gives up after twice TEMPORAL_DELIVERY_TIMEOUT_MS and its settle retries pause about
 * 15 s in all (api/webhook/receiver.ts; a test keeps the sum 10 s under this). Were it late all
 * the same (a database that swallows packets holds each attempt), the takeover sends again what
 * the run may have: alert runs drop a repeated event id, a repeated ticket close of a ticket open
 * again does nothing, and device events and nudges read Level afresh.
 */
export const ORPHANED_SENDING_MS = 45_000;
const ORPHANED_SENDING = `${ORPHANED_SENDING_MS} milliseconds`;

/**
 * Rows the relay may send now: pending ones whose pause after a failure is over (unless an
 * earlier event of the run is still being sent by a receiver), and orphaned sending ones.
 */
const DELIVERABLE = `
  ("webhook_inbox"."status" = 'pending' and ("webhook_inbox"."retry_at" is null or "webhook_inbox"."retry_at" <= now()) and not exists (
     select 1 from "webhook_inbox" "s" where "s"."tenant_id" = "webhook_inbox"."tenant_id" and "s"."workflow_id" = "webhook_inbox"."workflow_id"
       and "s"."status" = 'sending' and "s"."created_at" > now() - interval '${ORPHANED_SENDING}'))
  or ("webhook_inbox"."status" = 'sending' and "webhook_inbox"."created_at" <= now() - interval '${ORPHANED_SENDING}')`;

/**
 * Locks and returns the next batch: the tenants with the oldest queued rows first (at most
 * `batchSize` of them), each with its share of the batch, oldest rows first. `skip`: rows that
 * already failed in this pass (they wait for the next one).
 */
export async function claimFairBatch(
  tx: EntityManager,
  batchSize: number,
  skip: readonly string[],
): Promise<InboxRow[]> {
  const tenants = await tx.execute<Array<{ tenant_id: string }>>(
    `select "tenant_id" from "webhook_inbox" where "status" in ('pending', 'sending') group by "tenant_id" order by min("created_at") limit ?`,
    [batchSize],
  );
  if (tenants.length === 0) return [];
  const share = Math.ceil(batchSize / tenants.length);
  return tx.execute<InboxRow[]>(
    `select "r".* from unnest(?::uuid[]) as "t"("tenant_id") cross join lateral (
       select "id", "tenant_id", "event_id", "workflow_id", "workflow_type", "workflow_args", "signal_name", "signal_args", "summary",
              "last_error", "failure_streak", "created_at"
       from "webhook_inbox" where "webhook_inbox"."tenant_id" = "t"."tenant_id" and (${DELIVERABLE}) and not ("webhook_inbox"."id" = any(?::uuid[]))
       order by "webhook_inbox"."created_at", "webhook_inbox"."id" limit ? for update skip locked) "r"
     order by "r"."created_at", "r"."id"`,
    [pgArray(tenants.map((row) => row.tenant_id)), pgArray(skip), share],
  );
}

/**
 * Leaves out the runs that have an earlier queued row this batch did not claim (another relay
 * holds it, it waits for its retry, or it is past its share): their claimed rows would overtake it.
 */
export async function withoutOvertaking(tx: EntityManager, rows: InboxRow[]): Promise<InboxRow[]> {
  if (rows.length === 0) return rows;
  const ids = rows.map(() => '?').join(', ');
  const runs = rows.map(() => '(?, ?)').join(', ');
  const earlier = await tx.execute<Array<{ tenant_id: string; workflow_id: string; first: Date }>>(
    `select "tenant_id", "workflow_id", min("created_at") as "first" from "webhook_inbox"
     where "status" in ('pending', 'sending') and "id" not in (${ids}) and ("tenant_id", "workflow_id") in (${runs})
     group by "tenant_id", "workflow_id"`,
    [...rows.map((row) => row.id), ...rows.flatMap((row) => [row.tenant_id, row.workflow_id])],
  );
  if (earlier.length === 0) return rows;
  const firstElsewhere = new Map(
    earlier.map((row) => [`${row.tenant_id}/${row.workflow_id}`, new Date(row.first).getTime()]),
  );
  return rows.filter((row) => {
    const other = firstElsewhere.get(`${row.tenant_id}/${row.workflow_id}`);
    return other === undefined || other > new Date(row.created_at).getTime();
  });
}

/** The claimed rows Temporal took. */
export async function markDelivered(tx: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(
    `update "webhook_inbox" set "status" = 'delivered', "delivered_at" = clock_timestamp(), "attempts" = "attempts" + 1, "retry_at" = null where "id" in (${ids.map(() => '?').join(', ')})`,
    ids,
  );
}

/** A claimed row's next state after it failed (see afterFailure): waiting for its retry, or parked. */
export async function markFailed(tx: EntityManager, rowId: string, next: AfterFailure, error: string): Promise<void> {
  await tx.execute(
    `update "webhook_inbox" set "status" = ?, "attempts" = "attempts" + 1, "last_error" = ?, "failure_streak" = ?,
       "retry_at" = case when ?::int > 0 then clock_timestamp() + ?::int * interval '1 millisecond' end,
       "parked_at" = case when ? = 'parked' then clock_timestamp() end
     where "id" = ?`,
    [next.status, error.slice(0, 500), next.failureStreak, next.retryInMs, next.retryInMs, next.status, rowId],
  );
}

/** A PostgreSQL array literal of uuids (they need no quoting). */
function pgArray(values: readonly string[]): string {
  return `{${values.join(',')}}`;
}
