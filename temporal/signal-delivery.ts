// Delivering the pipeline's signals to Temporal (signalWithStart, starting the run if needed).
// Used by the webhook receiver, the ticket-closed hook, the inbox relay, and backfill (with the
// activity's own client). What Temporal did not take waits in the inbox (db/inbox-store.ts).
import type { Client } from '@temporalio/client';
import type { SignalDelivery } from '../contracts/alerts';
import { deliveryRunMetadata } from './delivery-run-metadata';

/** Sends one signalWithStart; the run is started if it does not exist (or has closed). */
export async function deliverSignal(
  client: Client,
  taskQueue: string,
  delivery: SignalDelivery,
  timeoutMs?: number,
): Promise<void> {
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
 * A short, secret-free description of why Temporal did not take a delivery, with the service's
 * own reason (the client wraps it: "Failed to signalWithStart Workflow" alone says nothing).
 */
export function describeDeliveryError(err: unknown): string {
  if (!(err instanceof Error)) return String(err).slice(0, 300);
  const cause = err.cause instanceof Error && err.cause.message !== err.message ? ` (${err.cause.message})` : '';
  return `${err.name}: ${err.message}${cause}`.slice(0, 300);
}
