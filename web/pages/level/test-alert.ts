// Send test alert: a sample alert goes through the service's own receiver; the card shows the
// ticket it produced (or why there is none) with a link to it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { get, post } from '../../api/client';
import type { TestAlertAnswer, Ticket } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { ErrorText } from '../../components/card';
import { href } from '../../router';

export function TestAlert() {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [outcome, setOutcome] = useState<string | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const send = async () => {
    setError(undefined);
    setTicket(null);
    setOutcome(undefined);
    try {
      const answer = await post<TestAlertAnswer>('/api/v1/integrations/level/webhook/test');
      if (answer.ticketId) setTicket(await get<Ticket>(`/api/v1/tickets/${answer.ticketId}`));
      else
        setOutcome(
          answer.alertId
            ? `The test alert was recorded (${answer.status}) without a ticket: check the alert rules.`
            : 'The test alert was accepted and is still being routed; look on the Tickets page in a moment.',
        );
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`<div class="test-alert">
    <${ActionButton} label="Send test alert" busyLabel="Sending…" onClick=${send} />
    <div role="status">
      ${ticket ? html`<p class="ok-text">Test alert accepted: it opened <a href=${href('tickets', ticket.id)}>ticket #${ticket.number} ${ticket.title}</a>.</p>` : null}
      ${outcome ? html`<p>${outcome}</p>` : null}
    </div>
    <${ErrorText} error=${error} />
  </div>`;
}
