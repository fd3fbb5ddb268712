// Storm grouping's activities: the alert run hands an arrival to its key's storm run
// (signalWithStart, not waiting for what the run does with it), and the storm run processes each
// arrival in one transaction (db/storm-store.ts), one at a time per key.
import { Context } from '@temporalio/activity';
import { stormArrivalDelivery, type StormArrival } from '../contracts/storm';
import { processStormArrival, type StormArrivalWork, type StormStepOutcome } from '../db/storm-store';
import { countRouted, countRouting, countTicket } from '../metrics/alert-metrics';
import { deliverSignal } from '../temporal/signal-delivery';
import type { ActivityDeps } from './deps';

export function createStormActivities(deps: ActivityDeps) {
  return {
    /**
     * Signals the arrival to its storm run, starting the run when it is not running. Resending
     * (a retry) is harmless: the run and the store drop an arrival id they have seen.
     */
    async sendStormArrival(arrival: StormArrival): Promise<void> {
      const { client, info } = Context.current();
      await deliverSignal(client, info.taskQueue, stormArrivalDelivery(arrival));
    },

    /** Skip, attach to the open storm ticket, open one, or open the alert's own ticket (see db/storm-store.ts). */
    async processStormArrival(work: StormArrivalWork): Promise<StormStepOutcome> {
      const { outcome, fresh } = await processStormArrival(deps.orm.em.fork(), work);
      if (fresh) countStep(outcome, work.arrival.key.clientId);
      return outcome;
    },
  };
}

function countStep(outcome: StormStepOutcome, clientId: string): void {
  if (outcome.step === 'skipped') return;
  if (outcome.step === 'own') {
    countRouted(
      { outcome: 'ticketed', created: outcome.created, ...(outcome.reopened ? { reopened: outcome.reopened } : {}) },
      clientId,
    );
    return;
  }
  countRouting('storm');
  if (outcome.step === 'opened') {
    countTicket('opened');
    for (let i = 0; i < outcome.groupedTicketIds.length; i += 1) countTicket('grouped');
  }
}
