// Draining the webhook inbox: events accepted while Temporal was unreachable are delivered with
// the same signalWithStart the receiver would have sent. Rows are claimed with
// `for update skip locked`, so several API processes can relay at once without sending a row
// twice; and should a row be sent twice anyway (a crash between send and mark), the alert run
// drops the repeated event id.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { SignalDelivery } from './alert-contracts';
import { deliverSignal, describeDeliveryError } from './alert-delivery';

export interface DrainResult {
  delivered: number;
  failed: number;
  /** Rows still pending after this pass. */
  remaining: number;
}

interface InboxRow {
  id: string;
  tenant_id: string;
  event_id: string;
  workflow_id: string;
  workflow_type: string;
  workflow_args: unknown[];
  signal_name: string;
  signal_args: unknown[];
  summary: string | null;
  created_at: Date;
}

/** Delivered rows are kept this long (for operators), then deleted. */
const DELIVERED_RETENTION = '7 days';
/**
 * A `sending` row whose receiver never settled it (the API process died mid-call) is taken over
 * after this long; the receiver's own call gives up well before (TEMPORAL_DELIVERY_TIMEOUT_MS).
 */
const ORPHANED_SENDING = '2 minutes';
/** Runs delivered to at once; each run's events still go one after another, in order. */
const PARALLEL_RUNS = 16;

/** Rows the relay may send now: pending ones (unless an earlier event of the run is still being sent by a receiver) and orphaned sending ones. */
const DELIVERABLE = `
  ("status" = 'pending' and not exists (
     select 1 from "webhook_inbox" "s" where "s"."tenant_id" = "webhook_inbox"."tenant_id" and "s"."workflow_id" = "webhook_inbox"."workflow_id"
       and "s"."status" = 'sending' and "s"."created_at" > now() - interval '${ORPHANED_SENDING}'))
  or ("status" = 'sending' and "created_at" <= now() - interval '${ORPHANED_SENDING}')`;

export async function drainInbox(em: EntityManager, client: Client, taskQueue: string, options: { batchSize?: number; timeoutMs?: number } = {}): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 200;
  let delivered = 0;
  let failed = 0;
  for (;;) {
    const batch = await em.transactional(async (tx) => {
      const rows = await tx.execute<InboxRow[]>(
        `select "id", "tenant_id", "event_id", "workflow_id", "workflow_type", "workflow_args", "signal_name", "signal_args", "summary", "created_at"
         from "webhook_inbox" where ${DELIVERABLE} order by "created_at", "id" limit ? for update skip locked`,
        [batchSize],
      );
      const deliverable = await withoutOvertaking(tx, rows);
      const outcome = await deliverByRun(deliverable, (row) => deliverSignal(client, taskQueue, toDelivery(row), options.timeoutMs ?? 10_000));
      if (outcome.sent.length > 0) {
        const ids = outcome.sent.map(() => '?').join(', ');
        await tx.execute(`update "webhook_inbox" set "status" = 'delivered', "delivered_at" = clock_timestamp(), "attempts" = "attempts" + 1 where "id" in (${ids})`, outcome.sent);
      }
      for (const { id, error } of outcome.failures) {
        await tx.execute(`update "webhook_inbox" set "status" = 'pending', "attempts" = "attempts" + 1, "last_error" = ? where "id" = ?`, [error, id]);
      }
      return { sent: outcome.sent.length, failed: outcome.failures.length > 0, size: rows.length };
    });
    delivered += batch.sent;
    if (batch.failed) {
      failed += 1;
      break;
    }
    // A short batch was the last; a batch that sent nothing (its runs wait behind rows another
    // relay holds) would come back the same: both end the pass.
    if (batch.size < batchSize || batch.sent === 0) break;
  }
  return { delivered, failed, remaining: await countQueued(em) };
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
 * Leaves out the runs that have an earlier queued row this pass did not claim (another relay
 * holds it, `skip locked` passed over it): their claimed rows would overtake it.
 */
async function withoutOvertaking(tx: EntityManager, rows: InboxRow[]): Promise<InboxRow[]> {
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
  const firstElsewhere = new Map(earlier.map((row) => [`${row.tenant_id}/${row.workflow_id}`, new Date(row.first).getTime()]));
  return rows.filter((row) => {
    const other = firstElsewhere.get(`${row.tenant_id}/${row.workflow_id}`);
    return other === undefined || other > new Date(row.created_at).getTime();
  });
}

/**
 * Sends the rows run by run: up to PARALLEL_RUNS runs at once, each run's rows in order. A run
 * stops at its first failure (its later events must not overtake it), and no further run is
 * started: Temporal is likely away, and the rows wait for the next pass.
 */
async function deliverByRun(rows: InboxRow[], send: (row: InboxRow) => Promise<void>): Promise<{ sent: string[]; failures: Array<{ id: string; error: string }> }> {
  const runs = new Map<string, InboxRow[]>();
  for (const row of rows) {
    const key = `${row.tenant_id}/${row.workflow_id}`;
    runs.set(key, [...(runs.get(key) ?? []), row]);
  }
  const queue = [...runs.values()];
  const sent: string[] = [];
  const failures: Array<{ id: string; error: string }> = [];
  const lane = async () => {
    for (let run = queue.shift(); run && failures.length === 0; run = queue.shift()) {
      for (const row of run) {
        try {
          await send(row);
          sent.push(row.id);
        } catch (err) {
          failures.push({ id: row.id, error: describeDeliveryError(err) });
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_RUNS, queue.length) }, lane));
  return { sent, failures };
}

function toDelivery(row: InboxRow): SignalDelivery {
  return {
    tenantId: row.tenant_id,
    eventId: row.event_id,
    workflowId: row.workflow_id,
    workflowType: row.workflow_type,
    workflowArgs: row.workflow_args,
    signalName: row.signal_name,
    signalArgs: row.signal_args,
    summary: row.summary ?? 'Level alert',
    operation: row.workflow_type === 'alertLifecycle' ? 'alert' : 'backfill-alerts',
  };
}
