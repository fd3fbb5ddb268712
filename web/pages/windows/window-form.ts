// Create or edit a maintenance window: one-off (start and end, in this browser's time) or weekly
// (days, times and an IANA time zone); scope: all clients, one client, or one of its assets.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { post, put } from '../../api/client';
import { fetchAll } from '../../api/lists';
import type { Asset, Client, MaintenanceWindow } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { Card, ErrorText } from '../../components/card';
import { useSave } from '../../components/field-errors';
import { Checkbox, CheckboxGroup, SelectField, TextField } from '../../components/fields';
import { useLoad } from '../../hooks/use-load';
import { fromLocalInput, toLocalInput } from './local-time';
import { TimezoneField } from './timezone-field';
import { DAY_NAMES } from './window-summary';

export interface WindowFormProps {
  window: MaintenanceWindow | null;
  clients: Client[];
  onDone: () => Promise<void>;
  onCancel: () => void;
}

export function WindowForm({ window: existing, clients, onDone, onCancel }: WindowFormProps) {
  const [name, setName] = useState(existing?.name ?? '');
  const [enabled, setEnabled] = useState(existing?.enabled ?? true);
  const [kind, setKind] = useState(existing && !existing.recurrence ? 'once' : 'weekly');
  const [startsAt, setStartsAt] = useState(toLocalInput(existing?.startsAt));
  const [endsAt, setEndsAt] = useState(toLocalInput(existing?.endsAt));
  const [days, setDays] = useState((existing?.recurrence?.days ?? [6]).map(String));
  const [startTime, setStartTime] = useState(existing?.recurrence?.startTime ?? '22:00');
  const [endTime, setEndTime] = useState(existing?.recurrence?.endTime ?? '02:00');
  const [timezone, setTimezone] = useState(
    existing?.recurrence?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  );
  const [clientId, setClientId] = useState(existing?.scope.clientId ?? '');
  const [assetId, setAssetId] = useState(existing?.scope.assetId ?? '');
  const assets = useLoad(
    () => (clientId ? fetchAll<Asset>(`/api/v1/clients/${clientId}/assets`) : Promise.resolve([])),
    [clientId],
  );

  const body = () => ({
    name,
    enabled,
    scope: { clientId: clientId || null, assetId: assetId || null },
    ...(kind === 'once'
      ? { startsAt: fromLocalInput(startsAt), endsAt: fromLocalInput(endsAt), recurrence: null }
      : { startsAt: null, endsAt: null, recurrence: { days: days.map(Number), startTime, endTime, timezone } }),
  });
  const { errors, save } = useSave(async () => {
    await (existing
      ? put(`/api/v1/maintenance-windows/${existing.id}`, body())
      : post('/api/v1/maintenance-windows', body()));
    await onDone();
  });
  const e = (field: string) => errors[field];
  return html`<${Card} title=${existing ? `Edit window: ${existing.name}` : 'New maintenance window'}>
    <form onSubmit=${(ev: Event) => (ev.preventDefault(), void save())}>
      <${TextField} label="Name" value=${name} onInput=${setName} error=${e('name')} required />
      <${Checkbox} label="Enabled" checked=${enabled} onChange=${setEnabled} />
      <${SelectField} label="Schedule" value=${kind} options=${[
        { value: 'weekly', label: 'Weekly' },
        { value: 'once', label: 'One-off' },
      ]} onChange=${setKind} />
      ${
        kind === 'once'
          ? html`<${TextField} label="Starts at" type="datetime-local" value=${startsAt} onInput=${setStartsAt} error=${e('startsAt')} />
            <${TextField} label="Ends at" type="datetime-local" value=${endsAt} onInput=${setEndsAt} error=${e('endsAt')} />`
          : html`<${CheckboxGroup} label="Days" values=${days} options=${DAY_NAMES.map((d, i) => ({ value: String(i), label: d }))} onChange=${setDays} error=${e('recurrence.days') ?? e('recurrence')} />
            <${TextField} label="Start time" type="time" value=${startTime} onInput=${setStartTime} error=${e('recurrence.startTime')} />
            <${TextField} label="End time" type="time" value=${endTime} onInput=${setEndTime} error=${e('recurrence.endTime')} hint="An end before the start crosses midnight." />
            <${TimezoneField} value=${timezone} onChange=${setTimezone} error=${e('recurrence.timezone')} />`
      }
      <${SelectField} label="Client" value=${clientId} options=${[{ value: '', label: 'All clients' }, ...clients.map((c) => ({ value: c.id, label: c.name }))]} onChange=${(v: string) => (setClientId(v), setAssetId(''))} error=${e('scope.clientId')} />
      ${
        clientId
          ? html`<${SelectField} label="Asset" value=${assetId} options=${[{ value: '', label: "All of the client's assets" }, ...(assets.data ?? []).map((a) => ({ value: a.id, label: a.name }))]} onChange=${setAssetId} error=${e('scope.assetId')} />`
          : null
      }
      <${ErrorText} error=${errors.form} />
      <div class="buttons">
        <${ActionButton} label="Save window" busyLabel="Saving…" kind="primary" onClick=${save} />
        <button type="button" class="button secondary" onClick=${onCancel}>Cancel</button>
      </div>
    </form>
  <//>`;
}
