// An alert's status as a badge; the statuses that mean "no ticket, on purpose" (or a failure) say
// why in words beside it, so nobody has to guess what "dampened" or "unmapped" did. An alert of a
// storm says why it has no ticket of its own and links to the storm ticket it is on.
import { html } from 'htm/preact';
import type { Alert } from '../api/types';
import { href } from '../router';
import type { TicketRef } from './tickets/ticket-refs';

const WHY: Record<string, string> = {
  suppressed: 'In a maintenance window: recorded, no ticket (looked at again when the window ends, if still active).',
  dampened: "Resolved within its rule's hold — no ticket.",
  unmapped: 'Its device is in no mapped Level group (no asset): no ticket unless a rule for unmapped devices matches.',
};

/** `ticket`: the alert's ticket, when known; a storm ticket explains the alert's missing own ticket. */
export function AlertStatus({ alert, ticket }: { alert: Alert; ticket?: TicketRef | undefined }) {
  const why =
    alert.status === 'failed'
      ? `Routing failed: ${alert.failureReason ?? 'no reason recorded'}`
      : [WHY[alert.status], alert.failureReason].filter(Boolean).join(' ');
  const storm = ticket?.kind === 'storm' && alert.ticketId === ticket.id;
  return html`<span class=${`badge badge-alert-${alert.status}`}>${alert.status}</span>${why ? html`<span class="status-help">${why}</span>` : null}${
    storm
      ? html`<span class="status-help">Part of an alert storm — no ticket of its own; in <a href=${href('tickets', ticket.id)}>storm ticket #${ticket.number}</a>.</span>`
      : null
  }`;
}
