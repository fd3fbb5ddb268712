// Writing the delivery log off the accept path: the receiver only pushes an entry into a bounded
// in-memory queue (and counts failed authentications in a map); a timer writes what gathered,
// every FLUSH_EVERY_MS, as one multi-row insert plus one stats upsert. The 202 never waits for
// the log. What a crash loses is what was queued since the last flush (about 100 ms of
// deliveries); a database outage keeps the entries queued (bounded, oldest dropped first) and
// retries. One recorder per ORM, so tests and the production API each get theirs.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../config/logger';
import { addDeliveryStats, insertDeliveries, type DeliveryRow, type StatsIncrement } from '../../db/delivery-log-store';
import type { Orm } from '../../db/orm';
import { describePermanentDataError, isPermanentDataError } from '../../db/permanent-errors';

export const FLUSH_EVERY_MS = 100;
/** After a failed flush, the next try waits this long. */
const RETRY_AFTER_MS = 2_000;
/** Entries kept in memory at most (about 10 MB at worst); beyond, the oldest are dropped. */
export const MAX_QUEUED_DELIVERIES = 20_000;

export type DeliveryEntry = Omit<DeliveryRow, 'id'>;

interface Target {
  id: string;
  tenantId: string;
}

interface Unauthenticated {
  tenantId: string;
  count: number;
  since: Date;
}

export class DeliveryRecorder {
  private queue: DeliveryRow[] = [];
  private unauthenticated = new Map<string, Unauthenticated>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private dropped = 0;

  constructor(
    private readonly orm: Orm,
    private readonly logger: Logger,
    private readonly maxQueued = MAX_QUEUED_DELIVERIES,
  ) {}

  /** Queues one delivery for the log; synchronous and constant time. */
  record(entry: DeliveryEntry): void {
    this.queue.push({ id: randomUUID(), ...entry });
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped += 1;
    }
    this.schedule(FLUSH_EVERY_MS);
  }

  /** Counts one request that named this integration's webhook but failed authentication. */
  unauthenticatedAttempt(target: Target): void {
    const counted = this.unauthenticated.get(target.id);
    if (counted) counted.count += 1;
    else this.unauthenticated.set(target.id, { tenantId: target.tenantId, count: 1, since: new Date() });
    this.schedule(FLUSH_EVERY_MS);
  }

  /** Writes everything gathered so far (also for tests and shutdown). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.flushing) await this.flushing;
    if (this.queue.length === 0 && this.unauthenticated.size === 0) return;
    this.flushing = this.write().finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), delayMs);
    // A queued entry must not keep a process alive that is otherwise done (tests, CLI).
    this.timer.unref();
  }

  private async write(): Promise<void> {
    const rows = this.queue;
    const unauthenticated = this.unauthenticated;
    this.queue = [];
    this.unauthenticated = new Map();
    try {
      const em = this.orm.em.fork();
      await insertDeliveries(em, rows);
      await addDeliveryStats(em, statsOf(rows, unauthenticated));
      this.reportDropped();
    } catch (err) {
      // A value PostgreSQL refuses fails the same way every time: that batch cannot be written.
      if (isPermanentDataError(err)) {
        this.logger.warn(
          { error: describePermanentDataError(err), lost: rows.length },
          'delivery log batch refused by the database',
        );
        return;
      }
      this.requeue(rows, unauthenticated);
      this.logger.warn(
        { error: (err as Error).message, queued: this.queue.length },
        'delivery log not written (will retry)',
      );
      this.schedule(RETRY_AFTER_MS);
    }
  }

  /** Puts a failed batch back in front of what arrived meanwhile, within the bound. */
  private requeue(rows: DeliveryRow[], unauthenticated: Map<string, Unauthenticated>): void {
    const merged = [...rows, ...this.queue];
    const over = Math.max(0, merged.length - this.maxQueued);
    this.dropped += over;
    this.queue = merged.slice(over);
    for (const [integrationId, counted] of unauthenticated) {
      const now = this.unauthenticated.get(integrationId);
      this.unauthenticated.set(integrationId, now ? { ...counted, count: counted.count + now.count } : counted);
    }
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    this.logger.warn(
      { dropped: this.dropped },
      'delivery log entries dropped: the queue was full while the database was away',
    );
    this.dropped = 0;
  }
}

/** Per integration: the newest Level delivery of the batch (test alerts do not count) and the failed attempts. */
function statsOf(
  rows: readonly DeliveryRow[],
  unauthenticated: ReadonlyMap<string, Unauthenticated>,
): StatsIncrement[] {
  const byIntegration = new Map<string, StatsIncrement>();
  const entry = (integrationId: string, tenantId: string): StatsIncrement => {
    let inc = byIntegration.get(integrationId);
    if (!inc)
      byIntegration.set(
        integrationId,
        (inc = {
          integrationId,
          tenantId,
          lastReceivedAt: null,
          unauthenticatedAttempts: 0,
          unauthenticatedSince: null,
        }),
      );
    return inc;
  };
  for (const row of rows) {
    if (row.source === 'test') continue;
    const inc = entry(row.integrationId, row.tenantId);
    if (!inc.lastReceivedAt || row.receivedAt > inc.lastReceivedAt) inc.lastReceivedAt = row.receivedAt;
  }
  for (const [integrationId, counted] of unauthenticated) {
    const inc = entry(integrationId, counted.tenantId);
    inc.unauthenticatedAttempts = counted.count;
    inc.unauthenticatedSince = counted.since;
  }
  return [...byIntegration.values()];
}

const recorders = new Map<Orm, DeliveryRecorder>();

/** The recorder of this ORM's database (created on first use). */
export function deliveryRecorder(deps: { orm: Orm; logger: Logger }): DeliveryRecorder {
  let recorder = recorders.get(deps.orm);
  if (!recorder) recorders.set(deps.orm, (recorder = new DeliveryRecorder(deps.orm, deps.logger)));
  return recorder;
}

/** Writes every recorder's queue: at shutdown, after the server stopped accepting. */
export async function flushDeliveryRecorders(): Promise<void> {
  await Promise.all([...recorders.values()].map((recorder) => recorder.flush().catch(() => undefined)));
}
