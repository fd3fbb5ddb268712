// Maintenance windows: alerts during a window are recorded, not ticketed. One-off or weekly,
// scoped to everything, a client or one asset.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { del } from '../../api/client';
import { fetchAll } from '../../api/lists';
import type { Client, MaintenanceWindow } from '../../api/types';
import { Card, Empty, ErrorText } from '../../components/card';
import { ConfirmButton } from '../../components/confirm-button';
import { useLoad } from '../../hooks/use-load';
import { WindowForm } from './window-form';
import { windowSummary } from './window-summary';

const WINDOWS = '/api/v1/maintenance-windows';

export function WindowsPage() {
  const windows = useLoad(() => fetchAll<MaintenanceWindow>(WINDOWS), []);
  const clients = useLoad(() => fetchAll<Client>('/api/v1/clients'), []);
  const [editing, setEditing] = useState<MaintenanceWindow | 'new' | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const remove = async (window: MaintenanceWindow) => {
    try {
      await del(`${WINDOWS}/${window.id}`);
      await windows.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const list = windows.data ?? [];
  return html`<h1>Maintenance windows</h1>
    <p class="lead">Alerts that start during a window are recorded without a ticket; one still active when the window ends is evaluated again then.</p>
    ${
      editing
        ? html`<${WindowForm} window=${editing === 'new' ? null : editing} clients=${clients.data ?? []} onDone=${async () => (setEditing(null), await windows.reload())} onCancel=${() => setEditing(null)} />`
        : html`<div class="buttons"><button type="button" class="button primary" onClick=${() => setEditing('new')}>New window</button></div>`
    }
    <${ErrorText} error=${error ?? windows.error} />
    <${Card} title="Windows">
      ${windows.data && list.length === 0 ? html`<${Empty}>No maintenance windows. Click New window to plan one.<//>` : null}
      <ul class="rules">
        ${list.map(
          (window) => html`<li key=${window.id} class=${window.enabled ? '' : 'disabled'}>
            <div class="rule-head"><strong>${window.name}</strong><span class="muted">${windowSummary(window, clients.data ?? [])}</span></div>
            <div class="buttons">
              <button type="button" class="button secondary small" aria-label=${`Edit ${window.name}`} onClick=${() => setEditing(window)}>Edit</button>
              <${ConfirmButton} small label="Delete" ariaLabel=${`Delete ${window.name}`} question=${`Delete the window "${window.name}"?`} confirmLabel="Yes, delete" onConfirm=${() => remove(window)} />
            </div>
          </li>`,
        )}
      </ul>
    <//>`;
}
