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
}

/** Delivered rows are kept this long (for operators), then deleted. */
const DELIVERED_RETENTION = '7 days';

export async function drainInbox(em: EntityManager, client: Client, taskQueue: string, options: { batchSize?: number; timeoutMs?: number } = {}): Promise<DrainResult> {
  const batchSize = options.batchSize ?? 100;
  let delivered = 0;
  let failed = 0;
  for (;;) {
    const batch = await em.transactional(async (tx) => {
      const rows = await tx.execute<InboxRow[]>(
        `select "id", "tenant_id", "event_id", "workflow_id", "workflow_type", "workflow_args", "signal_name", "signal_args", "summary"
         from "webhook_inbox" where "status" = 'pending' order by "created_at", "id" limit ? for update skip locked`,
        [batchSize],
      );
      let sent = 0;
      for (const row of rows) {
        try {
          await deliverSignal(client, taskQueue, toDelivery(row), options.timeoutMs ?? 10_000);
        } catch (err) {
          await tx.execute(`update "webhook_inbox" set "attempts" = "attempts" + 1, "last_error" = ? where "id" = ?`, [describeDeliveryError(err), row.id]);
          return { sent, failed: true, size: rows.length };
        }
        await tx.execute(`update "webhook_inbox" set "status" = 'delivered', "delivered_at" = clock_timestamp(), "attempts" = "attempts" + 1 where "id" = ?`, [row.id]);
        sent += 1;
      }
      return { sent, failed: false, size: rows.length };
    });
    delivered += batch.sent;
    if (batch.failed) {
      failed += 1;
      break;
    }
    if (batch.size < batchSize) break;
  }
  await em.execute(`delete from "webhook_inbox" where "status" = 'delivered' and "delivered_at" < now() - interval '${DELIVERED_RETENTION}'`);
  const [count] = await em.execute<Array<{ n: string }>>(`select count(*) as n from "webhook_inbox" where "status" = 'pending'`);
  return { delivered, failed, remaining: Number(count?.n ?? 0) };
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
