// What an alert run shows an operator while it lives: its current details in words (the Temporal
// UI's "current details") and the LevelAlertStatus search attribute, kept in step.
import { patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { ResolveOutcome } from '../activities/alert-resolution-activities';
import type { NeedsDevice, RouteOutcome } from '../activities/alert-routing-activities';
import { ALERT_STATUS_ATTRIBUTE } from '../contracts/search-attributes';
import { stormWorkflowId } from '../contracts/storm';

/** Runs recorded before the status attribute was kept current replay without its upserts. */
const STATUS_ATTRIBUTE_PATCH = 'alert-status-search-attribute';

export type AlertRunStatus = 'active' | 'suppressed' | 'resolved' | 'failed' | 'unmapped' | 'dampened';

export function showAlertStatus(status: AlertRunStatus, details: string): void {
  setCurrentDetails(details);
  if (patched(STATUS_ATTRIBUTE_PATCH)) upsertSearchAttributes([{ key: ALERT_STATUS_ATTRIBUTE, value: status }]);
}

/** After routing: where the alert went. */
export function showRouting(outcome: RouteOutcome | NeedsDevice): void {
  if (outcome.outcome === 'suppressed')
    showAlertStatus('suppressed', `Suppressed by a maintenance window until ${outcome.suppressedUntil}`);
  else if (outcome.outcome === 'held')
    showAlertStatus(
      outcome.unmapped ? 'unmapped' : 'active',
      `Held by its rule until ${outcome.heldUntil}: a ticket opens then if the alert is still active`,
    );
  else if (outcome.outcome === 'ticketed')
    showAlertStatus(
      outcome.unmapped ? 'unmapped' : 'active',
      `${ticketWords(outcome)}${outcome.unmapped ? ', by a rule for unmapped devices' : ''}`,
    );
  else if (outcome.outcome === 'grouping')
    showAlertStatus(
      'active',
      `Grouping: sent to the storm run of its client${outcome.arrival.key.condition === null ? '' : ' and condition'} (storm grouping is on), which opens its ticket or adds it to the storm's; that run (${stormWorkflowId(outcome.arrival.tenantId, outcome.arrival.key)}) says which`,
    );
  else if (outcome.outcome === 'recorded')
    showAlertStatus(
      outcome.unmapped ? 'unmapped' : 'active',
      outcome.unmapped
        ? 'Recorded as unmapped: no group mapping covers its device'
        : 'Recorded, no ticket (per alert rule)',
    );
}

/** "Ticket #12 opened for Acme Clinic", as a technician names it (a run from before numbers: its id). */
function ticketWords(outcome: Extract<RouteOutcome, { outcome: 'ticketed' }>): string {
  const ticket = outcome.ticketNumber === undefined ? `ticket ${outcome.ticketId}` : `ticket #${outcome.ticketNumber}`;
  const client = outcome.clientName ? ` for ${outcome.clientName}` : '';
  if (outcome.created) return `Opened ${ticket}${client}`;
  return outcome.reopened ? `Reopened the recently closed ${ticket}${client}` : `Added to the open ${ticket}${client}`;
}

/** After a resolve: what happened to the ticket (a flap resolved during its hold had none). */
export function showResolved({ ticket, dampened }: Pick<ResolveOutcome, 'ticket' | 'dampened'>): void {
  if (dampened) showAlertStatus('dampened', "Dampened: resolved within its rule's hold, no ticket");
  else
    showAlertStatus(
      'resolved',
      ticket === 'closed'
        ? 'Resolved, ticket closed'
        : ticket === 'noted'
          ? 'Resolved, noted on its ticket (left open)'
          : 'Resolved',
    );
}
