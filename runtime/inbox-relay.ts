// The inbox relay, started by the API process: it delivers what the receiver left in the webhook
// inbox (Temporal unreachable, busy or slow) with the same signalWithStart the receiver would have
// sent. The receiver wakes it when it stores an event; it keeps going while it makes progress, and
// otherwise checks every few seconds. About once a minute it also deletes what is past its
// retention: delivered inbox rows, and the delivery log beyond its bounds (never on the receiver's
// accept path).
//
// A pass claims batches fairly across tenants (db/inbox-claim.ts); should a row be sent twice
// anyway (a crash between send and mark), the alert run drops the repeated event id. A row that
// fails does not stop the pass: it waits (or is parked, domain/inbox-retry.ts) while the other
// rows go on; only Temporal being away ends it.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Logger } from '../config/logger';
import type { SignalDelivery } from '../contracts/alerts';
import { OPERATION_OF_SIGNALLED_WORKFLOW, type SignalledWorkflowType } from '../contracts/workflows';
import { pruneDeliveryLog } from '../db/delivery-log-store';
import { claimFairBatch, markDelivered, markFailed, withoutOvertaking, type InboxRow } from '../db/inbox-claim';
import { countQueued, deleteDeliveredRows } from '../db/inbox-store';
import type { Orm } from '../db/orm';
import { afterFailure, PARK_AFTER_SAME_FAILURES, type FailureKind } from '../domain/inbox-retry';
import type { TemporalGateway } from '../temporal/connection';
import { classifyDeliveryFailure } from '../temporal/delivery-failures';
import { deliverSignal, describeDeliveryError } from '../temporal/signal-delivery';

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
    if (result.parked > 0)
      options.logger.warn({ parked: result.parked }, 'webhook inbox rows parked after failing to deliver');
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
      .then(
        (result) => !result.stopped && ((result.delivered > 0 && result.remaining > result.failed) || wakeRequested),
      )
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

export async function drainInbox(
  em: EntityManager,
  client: Client,
  taskQueue: string,
  options: DrainOptions = {},
): Promise<DrainResult> {
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
    if (outcome.temporalAway || batch.claimed === 0 || (outcome.sent.length === 0 && outcome.failures.length === 0))
      break;
  }
  return { ...total, remaining: await countQueued(em) };
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
          if (unavailableInARow > 0 && (outcome.sent.length === 0 || unavailableInARow >= AWAY_AFTER_FAILURES))
            outcome.temporalAway = true;
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_RUNS, queue.length) }, lane));
  return outcome;
}

/** Writes each failed row's next state; returns how many were parked. */
async function recordFailures(tx: EntityManager, outcome: BatchOutcome, parkAfter: number): Promise<number> {
  let parked = 0;
  for (const { row, error, kind } of outcome.failures) {
    const next = afterFailure(
      { lastError: row.last_error, failureStreak: row.failure_streak },
      error,
      kind,
      outcome.temporalAway,
      parkAfter,
    );
    if (next.status === 'parked') parked += 1;
    await markFailed(tx, row.id, next, error);
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
