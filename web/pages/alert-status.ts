// An alert's status as a badge; the statuses that mean "no ticket, on purpose" (or a failure) say
// why in words beside it, so nobody has to guess what "dampened" or "unmapped" did.
import { html } from 'htm/preact';
import type { Alert } from '../api/types';

const WHY: Record<string, string> = {
  suppressed: 'In a maintenance window: recorded, no ticket (looked at again when the window ends, if still active).',
  dampened: "Resolved within its rule's hold — no ticket.",
  unmapped: 'Its device is in no mapped Level group (no asset): no ticket unless a rule for unmapped devices matches.',
};

export function AlertStatus({ alert }: { alert: Alert }) {
  const why = alert.status === 'failed' ? `Routing failed: ${alert.failureReason ?? 'no reason recorded'}` : [WHY[alert.status], alert.failureReason].filter(Boolean).join(' ');
  return html`<span class=${`badge badge-alert-${alert.status}`}>${alert.status}</span>${why ? html`<span class="status-help">${why}</span>` : null}`;
}
