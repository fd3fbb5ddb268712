// One line saying when a window applies and to what.
import type { Client, MaintenanceWindow } from '../../api/types';

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function windowSummary(window: MaintenanceWindow, clients: Client[]): string {
  const when = window.recurrence
    ? `Every ${window.recurrence.days.map((d) => DAY_NAMES[d]?.slice(0, 3)).join(', ')} ${window.recurrence.startTime}–${window.recurrence.endTime} (${window.recurrence.timezone})`
    : `${window.startsAt ? exact.format(new Date(window.startsAt)) : '?'} – ${window.endsAt ? exact.format(new Date(window.endsAt)) : '?'}`;
  const client = window.scope.clientId
    ? (clients.find((c) => c.id === window.scope.clientId)?.name ?? 'a client')
    : null;
  const scope = window.scope.assetId ? 'one asset' : client ? `client ${client}` : 'all clients';
  return `${when} · ${scope}${window.enabled ? '' : ' · disabled'}`;
}
