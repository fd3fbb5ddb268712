// Reading a run's whole history as text, with every payload decoded, so tests can assert what
// it does (and does not) contain. Payload data arrives as bytes or as base64 text depending on
// how the history was decoded; both are turned back into the JSON the SDK encoded.
import type { Client } from '@temporalio/client';

export async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, function (this: Record<string, unknown>, key: string, value: unknown) {
    if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
    const isPayloadData = (key === 'data' || key === 'encoding') && typeof value === 'string' && 'metadata' in this;
    if (isPayloadData || (key === 'encoding' && typeof value === 'string')) return Buffer.from(value, 'base64').toString('utf8');
    return value;
  });
}
