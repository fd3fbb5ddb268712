// The webhook's delivery log (what Level sent and what became of it, newest first), opened on
// demand under the Alert Webhook card, with the card's delivery stats: a silent webhook, or one
// that keeps failing authentication, is noticed here. A parked delivery can be sent again.
// Servers without the log endpoint answer 404, which reads as "no log on this server".
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../api/client';
import { fetchPage } from '../../api/lists';
import { ActionButton } from '../../components/action-button';
import { ErrorText } from '../../components/card';
import { LoadMore } from '../../components/load-more';
import { RelativeTime } from '../../components/relative-time';

const DELIVERIES = '/api/v1/integrations/level/webhook/deliveries';

export interface Delivery {
  id: string;
  receivedAt: string;
  source: string;
  eventType: string;
  outcome: string;
  httpStatus: number;
  error?: string | null;
}

export interface DeliveryStats {
  lastReceivedAt: string | null;
  unauthenticatedAttempts: number;
  unauthenticatedSince: string | null;
}

export function DeliveryLog({ stats }: { stats: DeliveryStats | undefined }) {
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const load = async (next: string | null) => {
    setError(undefined);
    try {
      const page = await fetchPage<Delivery>(DELIVERIES, next);
      setItems((previous) => [...(next ? (previous ?? []) : []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 404
          ? 'This server keeps no delivery log yet.'
          : (err as Error).message,
      );
    }
  };
  const redrive = async (delivery: Delivery) => {
    await post(`${DELIVERIES}/${encodeURIComponent(delivery.id)}/redrive`).catch((err: Error) => setError(err.message));
    await load(null);
  };
  return html`<div class="deliveries">
    ${
      stats
        ? html`<p class="muted">Last delivery received: <${RelativeTime} iso=${stats.lastReceivedAt} />${
            stats.unauthenticatedAttempts > 0
              ? html` · <span class="error-text">${stats.unauthenticatedAttempts} requests with a wrong secret or signature since <${RelativeTime} iso=${stats.unauthenticatedSince} /></span>`
              : null
          }</p>`
        : null
    }
    <details onToggle=${(e: Event) => (e.currentTarget as HTMLDetailsElement).open && items === null && void load(null)}>
      <summary>Delivery log</summary>
      <${ErrorText} error=${error} />
      ${items && items.length === 0 ? html`<p class="empty">Nothing received yet. Click Send test alert, or check the webhook in Level.</p>` : null}
      ${
        items && items.length > 0
          ? html`<table class="list">
            <thead><tr><th scope="col">Received</th><th scope="col">Source</th><th scope="col">Event</th><th scope="col">Outcome</th><th scope="col">Error</th></tr></thead>
            <tbody>
              ${items.map(
                (d) => html`<tr key=${d.id}>
                  <td data-label="Received"><${RelativeTime} iso=${d.receivedAt} /></td>
                  <td data-label="Source">${d.source}</td>
                  <td data-label="Event">${d.eventType}</td>
                  <td data-label="Outcome">${d.outcome} (${d.httpStatus})</td>
                  <td data-label="Error">${d.error ?? '—'} ${d.outcome === 'parked' ? html`<${ActionButton} label="Deliver again" onClick=${() => redrive(d)} />` : null}</td>
                </tr>`,
              )}
            </tbody>
          </table>`
          : null
      }
      <${LoadMore} nextCursor=${cursor} onLoad=${() => load(cursor)} />
    </details>
  </div>`;
}
