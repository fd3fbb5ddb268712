// What alert routing decided for each triggered alert, and what happened to tickets.
import { Counter } from 'prom-client';
import { registry } from './registry';

/**
 * suppressed: inside a maintenance window; unmapped: its device belongs to no client (whatever a
 * rule did with it: a mapping is missing); ticket: a new ticket; occurrence: added to the open
 * ticket of the same condition (or reopened its recently closed one); recorded: kept without a
 * ticket by a rule; failed: parked (bad data, see parkAlert); dampened: resolved while its rule's
 * hold kept it from a ticket (a flap; a hold that ends with the alert active counts as what the
 * routing then did); storm: attached to its storm's parent ticket (storm grouping; an alert of a
 * storm run that got its own ticket counts as ticket or occurrence).
 */
export type RoutingOutcome =
  'ticket' | 'occurrence' | 'recorded' | 'unmapped' | 'suppressed' | 'failed' | 'dampened' | 'storm';
/** grouped: a ticket closed (or linked) because its alert was grouped into a storm's parent. */
export type TicketEvent = 'opened' | 'closed' | 'auto_closed' | 'reopened' | 'grouped';

const routings = new Counter({
  name: 'levelsync_alert_routings_total',
  help: 'Alerts routed, by outcome (ticket, occurrence, recorded, unmapped, suppressed, failed, dampened, storm)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const tickets = new Counter({
  name: 'levelsync_tickets_total',
  help: "Tickets opened by alerts, closed by a person, closed automatically when their alert resolved, reopened by a recurrence within its rule's reopen window, or grouped into a storm ticket",
  labelNames: ['event'] as const,
  registers: [registry],
});

/** Counts what routing wrote (a `ticketed` outcome says whether it opened the ticket). */
export function countRouted(
  routed: { outcome: 'ticketed' | 'recorded' | 'suppressed'; created?: boolean; reopened?: true },
  clientId: string | null | undefined,
): void {
  const opened = routed.outcome === 'ticketed' && routed.created === true;
  if (opened) tickets.inc({ event: 'opened' });
  if (routed.reopened) tickets.inc({ event: 'reopened' });
  if (routed.outcome === 'suppressed') countRouting('suppressed');
  else if (!clientId) countRouting('unmapped');
  else if (routed.outcome === 'ticketed') countRouting(opened ? 'ticket' : 'occurrence');
  else countRouting('recorded');
}

export function countRouting(outcome: RoutingOutcome): void {
  routings.inc({ outcome });
}

export function countTicket(event: TicketEvent): void {
  tickets.inc({ event });
}
