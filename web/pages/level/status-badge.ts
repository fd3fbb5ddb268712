// The integration's status as a badge; the text carries the meaning, the color only repeats it.
import { html } from 'htm/preact';
import type { IntegrationStatus } from '../../api/types';

const LABELS: Record<IntegrationStatus, string> = {
  not_configured: 'Not configured',
  configured: 'Not tested',
  connected: 'Connected',
  error: 'Error',
  disconnected: 'Disconnected',
};

export function StatusBadge({ status }: { status: IntegrationStatus }) {
  return html`<span class=${`badge badge-${status}`}>${LABELS[status] ?? status}</span>`;
}
