// The inbox relay loop, started by the API process: every few seconds it checks the webhook
// inbox and, when Temporal answers, delivers what was stored while it did not.
import type { Logger } from '../config/logger';
import type { Orm } from '../db/orm';
import { drainInbox, type DrainResult } from '../activities/inbox-relay';
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
  stop(): Promise<void>;
}

export function startInboxRelay(options: InboxRelayOptions): InboxRelay {
  const intervalMs = options.intervalMs ?? 2_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DrainResult> | undefined;

  const pass = async (): Promise<DrainResult> => {
    const em = options.orm.em.fork();
    const [pending] = await em.execute<Array<{ n: string }>>(`select count(*) as n from "webhook_inbox" where "status" = 'pending'`);
    if (Number(pending?.n ?? 0) === 0) return { delivered: 0, failed: 0, remaining: 0 };
    const client = await options.temporal.getClient();
    const result = await drainInbox(em, client, options.taskQueue);
    if (result.delivered > 0 || result.failed > 0) options.logger.info({ ...result }, 'webhook inbox relayed');
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
    drainNow()
      .catch((err: unknown) => options.logger.warn({ error: (err as Error).message }, 'webhook inbox relay pass failed (will retry)'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  timer = setTimeout(loop, 0);

  return {
    drainNow,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
