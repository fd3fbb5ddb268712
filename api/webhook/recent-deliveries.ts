// The events this process made durable lately, by tenant and event id, so that an exact
// redelivery (Level retries a webhook it saw time out; automations fire twice) is answered at
// once without a second signal: its run would discard it anyway (same event id), and skipping it
// spares Temporal a signal and the worker a workflow task. Bounded by count, oldest forgotten
// first; a redelivery this process does not remember (another process took the first, or it was
// forgotten) goes the normal way and the run discards it.
export type DurableIn = 'temporal' | 'inbox';

export class RecentDeliveries {
  private readonly seen = new Map<string, DurableIn>();

  constructor(private readonly capacity: number) {}

  /** Where an earlier delivery of this event was made durable, if this process remembers it. */
  get(tenantId: string, eventId: string): DurableIn | undefined {
    return this.seen.get(keyOf(tenantId, eventId));
  }

  remember(tenantId: string, eventId: string, durableIn: DurableIn): void {
    const key = keyOf(tenantId, eventId);
    this.seen.delete(key); // re-inserted as the newest
    this.seen.set(key, durableIn);
    if (this.seen.size > this.capacity) this.seen.delete(this.seen.keys().next().value!);
  }
}

function keyOf(tenantId: string, eventId: string): string {
  return `${tenantId}\n${eventId}`;
}
