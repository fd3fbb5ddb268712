// The events this process made durable lately, by tenant and event id, so that an exact
// redelivery (Level retries a webhook it saw time out; automations fire twice) is answered at
// once without a second signal: its run would discard it anyway (same event id), and skipping it
// spares Temporal a signal and the worker a workflow task. Bounded by count and by (approximate)
// bytes, oldest forgotten first, so long ids cannot grow it past its budget; a redelivery this
// process does not remember (another process took the first, or it was forgotten) goes the
// normal way and the run discards it.
export type DurableIn = 'temporal' | 'inbox';

/** What a Map entry costs besides its key's characters (entry, string header, value): an estimate. */
const ENTRY_OVERHEAD_BYTES = 80;

export class RecentDeliveries {
  private readonly seen = new Map<string, DurableIn>();
  private bytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Where an earlier delivery of this event was made durable, if this process remembers it. */
  get(tenantId: string, eventId: string): DurableIn | undefined {
    return this.seen.get(keyOf(tenantId, eventId));
  }

  remember(tenantId: string, eventId: string, durableIn: DurableIn): void {
    const key = keyOf(tenantId, eventId);
    this.forget(key); // re-inserted as the newest
    this.seen.set(key, durableIn);
    this.bytes += sizeOf(key);
    while (this.seen.size > this.capacity || this.bytes > this.maxBytes) this.forget(this.seen.keys().next().value!);
  }

  /** The estimated memory the remembered ids take. */
  get approximateBytes(): number {
    return this.bytes;
  }

  private forget(key: string): void {
    if (this.seen.delete(key)) this.bytes -= sizeOf(key);
  }
}

function keyOf(tenantId: string, eventId: string): string {
  return `${tenantId}\n${eventId}`;
}

/** V8 keeps strings as one or two bytes per character: count two, to stay on the safe side. */
function sizeOf(key: string): number {
  return key.length * 2 + ENTRY_OVERHEAD_BYTES;
}
