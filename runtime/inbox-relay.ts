// The inbox relay loop, started by the API process: it delivers what the receiver left in the
// webhook inbox (Temporal unreachable, busy or slow). The receiver wakes it when it stores an
// event; it keeps going while it makes progress, and otherwise checks every few seconds. About
// once a minute it also deletes what is past its retention: delivered inbox rows, and the
// delivery log beyond its bounds (never on the receiver's accept path).
import type { Logger } from '../config/logger';
import type { Orm } from '../db/orm';
import { countQueued, deleteDeliveredRows, drainInbox, type DrainResult } from '../activities/inbox-relay';
import { pruneDeliveryLog } from '../db/delivery-log-store';
import type { TemporalGateway } from '../temporal/connection';

export interface InboxRelayOptions {
  orm: Orm;
  temporal: TemporalGateway;
  taskQueue: string;
  logger: Logger;
  /** Pause between passes. Default 2000 ms. */
  intervalMs?: number;
}

export interface InboxRelay {
  /** One pass now (also used by tests); resolves with what it did. */
  drainNow(): Promise<DrainResult>;
  /** Something was stored: run a pass soon (after the current one, if one is running). */
  wake(): void;
  stop(): Promise<void>;
}

/** Delivered rows and delivery log entries past their retention are deleted at most this often. */
const CLEANUP_EVERY_MS = 60_000;

export function startInboxRelay(options: InboxRelayOptions): InboxRelay {
  const intervalMs = options.intervalMs ?? 2_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DrainResult> | undefined;

  let wakeRequested = false;
  /** When the last pass found Temporal away: wakes do not hurry the next one before the interval. */
  let failedAt = 0;
  let cleanedAt = 0;

  /** Runs whether or not anything is queued; a failure is logged and never stops delivery. */
  const cleanUp = async (em: ReturnType<Orm['em']['fork']>): Promise<void> => {
    if (Date.now() - cleanedAt <= CLEANUP_EVERY_MS) return;
    cleanedAt = Date.now();
    try {
      await deleteDeliveredRows(em);
      const pruned = await pruneDeliveryLog(em);
      if (pruned > 0) options.logger.debug({ pruned }, 'delivery log pruned');
    } catch (err) {
      options.logger.warn({ error: (err as Error).message }, 'inbox and delivery log clean-up failed (will retry)');
    }
  };

  const pass = async (): Promise<DrainResult> => {
    const em = options.orm.em.fork();
    await cleanUp(em);
    if ((await countQueued(em)) === 0) return { delivered: 0, failed: 0, parked: 0, stopped: false, remaining: 0 };
    const client = await options.temporal.getClient();
    const result = await drainInbox(em, client, options.taskQueue);
    if (result.stopped) {
      failedAt = Date.now();
      options.logger.info({ ...result }, 'webhook inbox relay pass stopped: Temporal looks unavailable');
    } else if (result.delivered > 0 || result.failed > 0) options.logger.debug({ ...result }, 'webhook inbox relayed');
    // Parked rows need a person (redrive): say so where operators look.
    if (result.parked > 0) options.logger.warn({ parked: result.parked }, 'webhook inbox rows parked after failing to deliver');
    return result;
  };

  const drainNow = (): Promise<DrainResult> => {
    running ??= pass().finally(() => {
      running = undefined;
    });
    return running;
  };

  const loop = () => {
    if (stopped) return;
    wakeRequested = false;
    void drainNow()
      // Again at once while it makes progress or new events came in; with Temporal away, not before the interval.
      .then((result) => !result.stopped && ((result.delivered > 0 && result.remaining > result.failed) || wakeRequested))
      .catch((err: unknown) => {
        failedAt = Date.now();
        options.logger.warn({ error: (err as Error).message }, 'webhook inbox relay pass failed (will retry)');
        return false;
      })
      .then((again) => {
        clearTimeout(timer);
        if (!stopped) timer = setTimeout(loop, again ? 0 : intervalMs);
      });
  };
  timer = setTimeout(loop, 0);

  return {
    drainNow,
    wake() {
      if (stopped) return;
      wakeRequested = true;
      if (running) return; // the loop goes again as soon as the current pass ends
      if (Date.now() - failedAt < intervalMs) return; // Temporal just failed: the timer retries it
      clearTimeout(timer);
      timer = setTimeout(loop, 0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
