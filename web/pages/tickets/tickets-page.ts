// Tickets, newest first, filtered by status and client; a ticket opens on its own page
// (#/tickets/<id>). A storm ticket says so (and how many alerts it holds); a ticket grouped into
// a storm links to it.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { fetchAll } from '../../api/lists';
import { TICKET_STATUSES, type Client, type Ticket } from '../../api/types';
import { Card, Empty, ErrorText } from '../../components/card';
import { SelectField } from '../../components/fields';
import { LoadMore } from '../../components/load-more';
import { RelativeTime } from '../../components/relative-time';
import { useLoad } from '../../hooks/use-load';
import { usePagedList } from '../../hooks/use-paged-list';
import { href } from '../../router';
import { TicketDetail } from './ticket-detail';
import { rememberTickets, useTicketRefs } from './ticket-refs';
import { StormBadge, StormParentLink } from './storm';
import { STATUS_LABELS } from './ticket-status';

export function TicketsPage({ ticketId }: { ticketId: string | undefined }) {
  const clients = useLoad(() => fetchAll<Client>('/api/v1/clients'), []);
  if (ticketId) return html`<${TicketDetail} ticketId=${ticketId} clients=${clients.data ?? []} />`;
  return html`<${TicketList} clients=${clients.data ?? []} />`;
}

function TicketList({ clients }: { clients: Client[] }) {
  const [status, setStatus] = useState('');
  const [clientId, setClientId] = useState('');
  const query = new URLSearchParams({ ...(status ? { status } : {}), ...(clientId ? { clientId } : {}) }).toString();
  const tickets = usePagedList<Ticket>(`/api/v1/tickets${query ? `?${query}` : ''}`);
  const names = new Map(clients.map((c) => [c.id, c.name]));
  rememberTickets(tickets.items);
  const ticketRef = useTicketRefs(tickets.items.map((t) => t.parentTicketId));
  return html`<h1>Tickets</h1>
    <div class="filters">
      <${SelectField} label="Status" value=${status} options=${[{ value: '', label: 'Any status' }, ...TICKET_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }))]} onChange=${setStatus} />
      <${SelectField} label="Client" value=${clientId} options=${[{ value: '', label: 'Any client' }, ...clients.map((c) => ({ value: c.id, label: c.name }))]} onChange=${setClientId} />
    </div>
    <${ErrorText} error=${tickets.error} />
    <${Card} title="Tickets">
      ${tickets.loaded && tickets.items.length === 0 ? html`<${Empty}>No tickets match. Alerts become tickets through the alert rules; try Send test alert on the Level page.<//>` : null}
      ${
        tickets.items.length > 0
          ? html`<table class="list">
            <thead><tr><th scope="col">#</th><th scope="col">Title</th><th scope="col">Priority</th><th scope="col">Status</th><th scope="col">Client</th><th scope="col">Opened</th></tr></thead>
            <tbody>
              ${tickets.items.map(
                (t) => html`<tr key=${t.id}>
                  <td data-label="#">${t.number}</td>
                  <th scope="row" data-label="Title">
                    <a href=${href('tickets', t.id)}>${t.title}</a>
                    ${t.kind === 'storm' ? html` <${StormBadge} ticket=${t} />` : null}
                    ${t.parentTicketId ? html`<span class="status-help"><${StormParentLink} parent=${ticketRef(t.parentTicketId)} id=${t.parentTicketId} /></span>` : null}
                  </th>
                  <td data-label="Priority">${t.priority}</td>
                  <td data-label="Status">${STATUS_LABELS[t.status] ?? t.status}</td>
                  <td data-label="Client">${t.clientId ? (names.get(t.clientId) ?? '—') : '—'}</td>
                  <td data-label="Opened"><${RelativeTime} iso=${t.createdAt} /></td>
                </tr>`,
              )}
            </tbody>
          </table>`
          : null
      }
      <${LoadMore} nextCursor=${tickets.nextCursor} onLoad=${tickets.loadMore} />
    <//>`;
}
