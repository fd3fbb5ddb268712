// One ticket: its fields, occurrences and alerts, its notes, a note form and status changes.
// Closing goes through the same PATCH as the API, so a rule's "resolve in Level" still happens.
// A storm ticket lists its alerts; a ticket grouped into a storm links to it. Notes keep their
// line breaks (the health snapshot note is one labelled line per field).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { get, patch } from '../../api/client';
import type { Client, Ticket } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { Card, ErrorText } from '../../components/card';
import { TextArea } from '../../components/fields';
import { ExactTime, RelativeTime } from '../../components/relative-time';
import { useLoad } from '../../hooks/use-load';
import { href } from '../../router';
import { StormAlerts, StormBadge, StormParentLink } from './storm';
import { useTicketRefs } from './ticket-refs';
import { STATUS_LABELS } from './ticket-status';

export function TicketDetail({ ticketId, clients }: { ticketId: string; clients: Client[] }) {
  const ticket = useLoad(() => get<Ticket>(`/api/v1/tickets/${encodeURIComponent(ticketId)}`), [ticketId]);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const ticketRef = useTicketRefs([ticket.data?.parentTicketId]);
  const change = async (body: { status?: string; note?: string }) => {
    setError(undefined);
    try {
      ticket.setData(await patch<Ticket>(`/api/v1/tickets/${encodeURIComponent(ticketId)}`, body));
      if (body.note) setNote('');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const t = ticket.data;
  if (!t)
    return html`<p><a href=${href('tickets')}>← All tickets</a></p>${ticket.error ? html`<${ErrorText} error=${ticket.error} />` : html`<p role="status">Loading…</p>`}`;
  const client = t.clientId ? clients.find((c) => c.id === t.clientId)?.name : undefined;
  return html`<p><a href=${href('tickets')}>← All tickets</a></p>
    <h1>Ticket #${t.number}: ${t.title}</h1>
    <${Card} title="Details">
      ${t.parentTicketId ? html`<p class="notice"><${StormParentLink} parent=${ticketRef(t.parentTicketId)} id=${t.parentTicketId} />: its alerts continue there.</p>` : null}
      <dl class="facts">
        ${t.kind === 'storm' ? html`<dt>Kind</dt><dd><${StormBadge} ticket=${t} /></dd>` : null}
        <dt>Status</dt><dd data-testid="ticket-status">${STATUS_LABELS[t.status] ?? t.status}</dd>
        <dt>Priority</dt><dd>${t.priority}</dd>
        <dt>Client</dt><dd>${client ?? '—'}</dd>
        <dt>Occurrences</dt><dd>${t.occurrences}</dd>
        <dt>Opened</dt><dd><${ExactTime} iso=${t.createdAt} /></dd>
        ${t.closedAt ? html`<dt>Closed</dt><dd><${ExactTime} iso=${t.closedAt} /></dd>` : null}
        <dt>Alerts</dt><dd>${t.alertIds.length}</dd>
      </dl>
      <p class="description">${t.description}</p>
      <div class="buttons">
        ${t.status === 'open' ? html`<${ActionButton} label="Start work" onClick=${() => change({ status: 'in_progress' })} />` : null}
        ${t.status !== 'closed' ? html`<${ActionButton} label="Close ticket" kind="primary" onClick=${() => change({ status: 'closed' })} />` : html`<${ActionButton} label="Reopen ticket" onClick=${() => change({ status: 'open' })} />`}
      </div>
      <${ErrorText} error=${error} />
    <//>
    ${t.kind === 'storm' ? html`<${StormAlerts} ticket=${t} />` : null}
    <${Card} title="Notes">
      ${(t.notes ?? []).length === 0 ? html`<p class="empty">No notes yet.</p>` : null}
      <ol class="notes">
        ${(t.notes ?? []).map((n) => html`<li key=${n.id} class="note"><p class="muted">${n.author} · <${RelativeTime} iso=${n.createdAt} /></p><p class="note-body">${n.body}</p></li>`)}
      </ol>
      <form onSubmit=${(e: Event) => (e.preventDefault(), void change({ note: note.trim() }))}>
        <${TextArea} label="Note" value=${note} onInput=${setNote} />
        <${ActionButton} label="Add note" disabled=${!note.trim()} onClick=${() => change({ note: note.trim() })} />
      </form>
    <//>`;
}
