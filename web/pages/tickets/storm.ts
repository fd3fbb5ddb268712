// Storm grouping on the tickets pages: a storm ticket's badge and alert count, the link from a
// ticket grouped into a storm to its storm ticket, and the storm ticket's alerts (name, device,
// status), read with the alerts list's ticket filter.
import { html } from 'htm/preact';
import { fetchAll } from '../../api/lists';
import type { Alert, Asset, Ticket } from '../../api/types';
import { Card, ErrorText } from '../../components/card';
import { RelativeTime } from '../../components/relative-time';
import { useLoad } from '../../hooks/use-load';
import { href } from '../../router';
import type { TicketRef } from './ticket-refs';

export function StormBadge({ ticket }: { ticket: Ticket }) {
  const count = ticket.childAlertIds?.length ?? ticket.alertIds.length;
  return html`<span class="badge badge-storm">Storm</span> <span class="storm-count">${count} ${count === 1 ? 'alert' : 'alerts'}</span>`;
}

/** "Grouped into storm ticket #12" (a link; "the storm ticket" until its number is known). */
export function StormParentLink({ parent, id }: { parent: TicketRef | undefined; id: string }) {
  return html`Grouped into <a href=${href('tickets', id)}>${parent ? `storm ticket #${parent.number}` : 'the storm ticket'}</a>`;
}

export function StormAlerts({ ticket }: { ticket: Ticket }) {
  const ids = ticket.childAlertIds ?? ticket.alertIds;
  const alerts = useLoad(
    () => fetchAll<Alert>(`/api/v1/alerts?ticketId=${encodeURIComponent(ticket.id)}&limit=500`),
    [ticket.id, ids.join(',')],
  );
  const assets = useLoad(
    () =>
      ticket.clientId
        ? fetchAll<Asset>(`/api/v1/clients/${encodeURIComponent(ticket.clientId)}/assets?limit=500`).catch(
            () => [] as Asset[],
          )
        : Promise.resolve([] as Asset[]),
    [ticket.clientId],
  );
  const devices = new Map(
    (assets.data ?? []).flatMap((a) => [
      [`asset:${a.id}`, a.name],
      [`level:${a.levelDeviceId}`, a.name],
    ]),
  );
  const device = (a: Alert) =>
    (a.assetId ? devices.get(`asset:${a.assetId}`) : undefined) ??
    devices.get(`level:${a.levelDeviceId}`) ??
    a.levelDeviceId;
  const found = alerts.data ?? [];
  return html`<${Card} title=${`Alerts of this storm (${ids.length})`}>
    <p class="muted">Each of these alerts is on this ticket instead of a ticket of its own.</p>
    <${ErrorText} error=${alerts.error} />
    ${!alerts.data && !alerts.error ? html`<p role="status">Loading…</p>` : null}
    ${
      found.length > 0
        ? html`<table class="list storm-alerts">
          <thead><tr><th scope="col">Alert</th><th scope="col">Device</th><th scope="col">Status</th><th scope="col">Started</th></tr></thead>
          <tbody>
            ${found.map(
              (a) => html`<tr key=${a.id}>
                <th scope="row" data-label="Alert">${a.name}</th>
                <td data-label="Device">${device(a)}</td>
                <td data-label="Status"><span class=${`badge badge-alert-${a.status}`}>${a.status}</span></td>
                <td data-label="Started"><${RelativeTime} iso=${a.startedAt} /></td>
              </tr>`,
            )}
          </tbody>
        </table>`
        : null
    }
  <//>`;
}
