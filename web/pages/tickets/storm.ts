// Storm grouping on the tickets pages: a storm ticket's badge and alert count, the link from a
// ticket grouped into a storm to its storm ticket, and the storm ticket's alerts (name, device,
// status). The alerts list has no filter by ticket, so the storm's alerts are picked from the
// newest alerts (they are recent: a storm ticket is open while they are active).
import { html } from 'htm/preact';
import { fetchAll, fetchPage } from '../../api/lists';
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

/** How many pages of 500 newest alerts to look through for a storm's alerts. */
const MAX_ALERT_PAGES = 20;

async function alertsWithIds(ids: readonly string[]): Promise<{ found: Alert[]; missing: number }> {
  const wanted = new Set(ids);
  const found: Alert[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_ALERT_PAGES && found.length < wanted.size; page++) {
    const next: { items: Alert[]; nextCursor: string | null } = await fetchPage<Alert>(
      '/api/v1/alerts?limit=500',
      cursor,
    );
    found.push(...next.items.filter((a) => wanted.has(a.id)));
    if (!next.nextCursor || next.nextCursor === cursor) break;
    cursor = next.nextCursor;
  }
  return { found, missing: wanted.size - found.length };
}

export function StormAlerts({ ticket }: { ticket: Ticket }) {
  const ids = ticket.childAlertIds ?? ticket.alertIds;
  const alerts = useLoad(() => alertsWithIds(ids), [ticket.id, ids.join(',')]);
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
  const found = alerts.data?.found ?? [];
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
    ${alerts.data && alerts.data.missing > 0 ? html`<p class="muted">${alerts.data.missing} older alerts of this storm are not among the latest alerts.</p>` : null}
  <//>`;
}
