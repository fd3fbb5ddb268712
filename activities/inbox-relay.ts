// Draining the webhook inbox: events accepted while Temporal was unreachable are delivered with
// the same signalWithStart the receiver would have sent. Batches are claimed fairly across
// tenants (inbox-claim.ts); should a row be sent twice anyway (a crash between send and mark),
// the alert run drops the repeated event id. A row that fails does not stop the pass: it waits
// (or is parked, inbox-failures.ts) while the other rows go on; only Temporal being away ends it.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { SignalDelivery } from '../contracts/alerts';
import { OPERATION_OF_SIGNALLED_WORKFLOW, type SignalledWorkflowType } from '../contracts/workflows';
import { deliverSignal, describeDeliveryError } from './alert-delivery';
import { claimFairBatch, withoutOvertaking, type InboxRow } from './inbox-claim';
import { afterFailure, classifyDeliveryFailure, PARK_AFTER_SAME_FAILURES, type FailureKind } from './inbox-failures';

export interface DrainResult {
  delivered: number;
  /** Rows that failed in this pass and wait for a later one. */
  failed: number;
  /** Rows set aside in this pass (see `redriveParked`). */
  parked: number;
  /** The pass ended early: Temporal looks unavailable. */
  stopped: boolean;
  /** Rows still queued (pending or sending) after this pass. */
  remaining: number;
}

export interface DrainOptions {
  batchSize?: number;
  timeoutMs?: number;
  /** Consecutive identical failures after which a row is parked. */
  parkAfter?: number;
}

/** Delivered rows are kept this long (for operators), then deleted. */
const DELIVERED_RETENTION = '7 days';
/** Runs delivered to at once; each run's events still go one after another, in order. */
const PARALLEL_RUNS = 16;
/** Failures in a row that say Temporal is away although earlier sends of the batch went through. */
const AWAY_AFTER_FAILURES = 3;

interface RowFailure {
  row: InboxRow;
  error: string;
  kind: FailureKind;
}

interface BatchOutcome {
  sent: string[];
  failures: RowFailure[];
  temporalAway: boolean;
}

export async function drainInbox(em: EntityManager, client: Client, taskQueue: string, options: DrainOptions = {}): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 200;
  const send = (row: InboxRow) => deliverSignal(client, taskQueue, toDelivery(row), options.timeoutMs ?? 10_000);
  const failedThisPass: string[] = [];
  const total = { delivered: 0, failed: 0, parked: 0, stopped: false };
  for (;;) {
    const batch = await em.transactional(async (tx) => {
      const rows = await claimFairBatch(tx, batchSize, failedThisPass);
      const outcome = await deliverByRun(await withoutOvertaking(tx, rows), send);
      await markDelivered(tx, outcome.sent);
      const parked = await recordFailures(tx, outcome, options.parkAfter ?? PARK_AFTER_SAME_FAILURES);
      return { claimed: rows.length, outcome, parked };
    });
    const { outcome } = batch;
    total.delivered += outcome.sent.length;
    total.parked += batch.parked;
    total.failed += outcome.failures.length - batch.parked;
    failedThisPass.push(...outcome.failures.map((failure) => failure.row.id));
    if (outcome.temporalAway) total.stopped = true;
    // Done when Temporal is away, nothing was left, or nothing moved (the rest waits behind rows
    // another relay holds); rows that failed are not claimed again in this pass.
    if (outcome.temporalAway || batch.claimed === 0 || (outcome.sent.length === 0 && outcome.failures.length === 0)) break;
  }
  return { ...total, remaining: await countQueued(em) };
}

/** Rows still to be delivered: pending ones, and sending ones a receiver (or, orphaned, the relay) will settle. */
export async function countQueued(em: EntityManager): Promise<number> {
  const [count] = await em.execute<Array<{ n: string }>>(`select count(*) as n from "webhook_inbox" where "status" in ('pending', 'sending')`);
  return Number(count?.n ?? 0);
}

/** Deletes delivered rows past their retention (by creation time, which is indexed). */
export async function deleteDeliveredRows(em: EntityManager): Promise<number> {
  const knex = em.getKnex();
  return knex('webhook_inbox').where('status', 'delivered').andWhere('created_at', '<', knex.raw(`now() - interval '${DELIVERED_RETENTION}'`)).delete();
}

/**
 * Puts a parked row of the tenant back in line (its attempts and last error kept, its streak
 * reset). `not_found` also for another tenant's row; `not_parked` when it is not parked.
 */
export async function redriveParked(em: EntityManager, tenantId: string, id: string): Promise<'redriven' | 'not_parked' | 'not_found'> {
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

/**
 * Sends the rows run by run: up to PARALLEL_RUNS runs at once, each run's rows in order. A run
 * stops at its first failure (its later events must not overtake it). No further run is started
 * once Temporal looks away: a failure saying so before anything went through, or several in a row.
 */
async function deliverByRun(rows: InboxRow[], send: (row: InboxRow) => Promise<void>): Promise<BatchOutcome> {
  const runs = new Map<string, InboxRow[]>();
  for (const row of rows) {
    const key = `${row.tenant_id}/${row.workflow_id}`;
    runs.set(key, [...(runs.get(key) ?? []), row]);
  }
  const queue = [...runs.values()];
  const outcome: BatchOutcome = { sent: [], failures: [], temporalAway: false };
  let unavailableInARow = 0;
  const lane = async () => {
    for (let run = queue.shift(); run && !outcome.temporalAway; run = queue.shift()) {
      for (const row of run) {
        try {
          await send(row);
          outcome.sent.push(row.id);
          unavailableInARow = 0;
        } catch (err) {
          const kind = classifyDeliveryFailure(err);
          outcome.failures.push({ row, error: describeDeliveryError(err), kind });
          if (kind === 'unavailable') unavailableInARow += 1;
          if (unavailableInARow > 0 && (outcome.sent.length === 0 || unavailableInARow >= AWAY_AFTER_FAILURES)) outcome.temporalAway = true;
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_RUNS, queue.length) }, lane));
  return outcome;
}

async function markDelivered(tx: EntityManager, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.execute(
    `update "webhook_inbox" set "status" = 'delivered', "delivered_at" = clock_timestamp(), "attempts" = "attempts" + 1, "retry_at" = null where "id" in (${ids.map(() => '?').join(', ')})`,
    ids,
  );
}

/** Writes each failed row's next state; returns how many were parked. */
async function recordFailures(tx: EntityManager, outcome: BatchOutcome, parkAfter: number): Promise<number> {
  let parked = 0;
  for (const { row, error, kind } of outcome.failures) {
    const next = afterFailure({ lastError: row.last_error, failureStreak: row.failure_streak }, error, kind, outcome.temporalAway, parkAfter);
    if (next.status === 'parked') parked += 1;
    await tx.execute(
      `update "webhook_inbox" set "status" = ?, "attempts" = "attempts" + 1, "last_error" = ?, "failure_streak" = ?,
         "retry_at" = case when ?::int > 0 then clock_timestamp() + ?::int * interval '1 millisecond' end,
         "parked_at" = case when ? = 'parked' then clock_timestamp() end
       where "id" = ?`,
      [next.status, error.slice(0, 500), next.failureStreak, next.retryInMs, next.retryInMs, next.status, row.id],
    );
  }
  return parked;
}

function toDelivery(row: InboxRow): SignalDelivery {
  return {
    tenantId: row.tenant_id,
    eventId: row.event_id,
    workflowId: row.workflow_id,
    workflowType: row.workflow_type as SignalledWorkflowType,
    workflowArgs: row.workflow_args,
    signalName: row.signal_name,
    signalArgs: row.signal_args,
    summary: row.summary ?? 'Level alert',
    operation: OPERATION_OF_SIGNALLED_WORKFLOW[row.workflow_type as SignalledWorkflowType],
  };
}
