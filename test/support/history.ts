// Reading a run's whole history as text, with every payload decoded, so tests can assert what
// it does (and does not) contain. Payload data arrives as bytes or as base64 text depending on
// how the history was decoded; both are turned back into the JSON the SDK encoded.
import type { Client, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, function (this: Record<string, unknown>, key: string, value: unknown) {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    const isPayloadData = (key === 'data' || key === 'encoding') && typeof value === 'string' && 'metadata' in this;
    if (isPayloadData || (key === 'encoding' && typeof value === 'string'))
      return Buffer.from(value, 'base64').toString('utf8');
    return value;
  });
}

const { EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: SIGNALED, EVENT_TYPE_WORKFLOW_TASK_COMPLETED: TASK_COMPLETED } =
  temporal.api.enums.v1.EventType;

/**
 * Resolves once the run has recorded at least `signals` signals and completed a workflow task
 * after the last of them: it has applied everything it was sent. The fact to wait for before
 * checking that something did not happen (instead of sleeping and hoping the run was quick).
 */
export async function settledAfterSignals(
  client: Client,
  workflowId: string,
  signals = 1,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const types = ((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? []).map(
      (event) => event.eventType,
    );
    const signalled = types.flatMap((type, i) => (type === SIGNALED ? [i] : []));
    if (signalled.length >= signals && types.slice(signalled.at(-1)).includes(TASK_COMPLETED)) return;
    if (Date.now() > deadline) throw new Error(`${workflowId}: no workflow task completed after ${signals} signal(s)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A run's current details as the Temporal UI shows them (its metadata query). */
export async function currentDetails(handle: WorkflowHandle): Promise<string> {
  return (await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata')).currentDetails;
}
