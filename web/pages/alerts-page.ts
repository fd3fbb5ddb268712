// Alerts recorded from Level, by status (explained where it means no ticket), each linking to its
// ticket; an alert of a storm links to its storm ticket and says why it has none of its own.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ALERT_STATUSES, type Alert } from '../api/types';
import { Card, Empty, ErrorText } from '../components/card';
import { SelectField } from '../components/fields';
import { LoadMore } from '../components/load-more';
import { RelativeTime } from '../components/relative-time';
import { usePagedList } from '../hooks/use-paged-list';
import { href } from '../router';
import { AlertStatus } from './alert-status';
import { useTicketRefs } from './tickets/ticket-refs';

export function AlertsPage() {
  const [status, setStatus] = useState('');
  const alerts = usePagedList<Alert>(`/api/v1/alerts${status ? `?status=${status}` : ''}`);
  const ticketRef = useTicketRefs(alerts.items.map((a) => a.ticketId));
  return html`<h1>Alerts</h1>
    <div class="filters">
      <${SelectField} label="Status" value=${status} options=${[{ value: '', label: 'Any status' }, ...ALERT_STATUSES.map((s) => ({ value: s, label: s }))]} onChange=${setStatus} />
    </div>
    <${ErrorText} error=${alerts.error} />
    <${Card} title="Alerts">
      ${alerts.loaded && alerts.items.length === 0 ? html`<${Empty}>No alerts. They arrive through the Alert Webhook, or click Backfill Alerts on the Level page.<//>` : null}
      ${
        alerts.items.length > 0
          ? html`<table class="list">
            <thead><tr><th scope="col">Alert</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Ticket</th></tr></thead>
            <tbody>
              ${alerts.items.map(
                (a) => html`<tr key=${a.id}>
                  <th scope="row" data-label="Alert">${a.name}</th>
                  <td data-label="Severity">${a.severity}</td>
                  <td data-label="Status"><${AlertStatus} alert=${a} ticket=${ticketRef(a.ticketId)} /></td>
                  <td data-label="Started"><${RelativeTime} iso=${a.startedAt} /></td>
                  <td data-label="Ticket">${a.ticketId ? html`<a href=${href('tickets', a.ticketId)}>${ticketRef(a.ticketId)?.kind === 'storm' ? `Storm ticket #${ticketRef(a.ticketId)!.number}` : 'Open ticket'}</a>` : '—'}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
          : null
      }
      <${LoadMore} nextCursor=${alerts.nextCursor} onLoad=${alerts.loadMore} />
    <//>`;
}
