// The tenant's noise control setting, under the rules: storm grouping (GET|PUT
// /api/v1/alert-settings), off by default. The server checks the ranges (threshold 2–1000,
// window 1–120 minutes) and its messages show under the fields.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { get, put } from '../../api/client';
import type { AlertSettings } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { Card, ErrorText } from '../../components/card';
import { useSave } from '../../components/field-errors';
import { Checkbox, NumberField, SelectField } from '../../components/fields';
import { useLoad } from '../../hooks/use-load';

const SETTINGS = '/api/v1/alert-settings';
type Storm = AlertSettings['storm'];

const EXPLANATION =
  'When many alerts of one client arrive close together — a switch down, a site offline — storm grouping opens one storm ticket for the outage ' +
  'instead of a ticket per device. With a threshold of 10 and a window of 5 minutes, 200 devices of one client going offline within 5 minutes ' +
  'open one ticket: the first nine open their own tickets, the tenth opens “Storm: Offline on Acme — 10 devices”, the nine are closed into it ' +
  "and the other alerts join it. While it is open, the client's alerts open no ticket of their own; it closes when its last alert resolves " +
  '(unless a person worked on it), and then counting starts afresh.';

const GROUP_BY = [
  { value: 'client', label: 'Client (all its alerts together)' },
  { value: 'client_condition', label: 'Client and condition (each alert name apart)' },
];

export function StormSettingsCard() {
  const settings = useLoad(() => get<AlertSettings>(SETTINGS), []);
  return html`<${Card} title="Noise control: storm grouping">
    <p>${EXPLANATION}</p>
    <${ErrorText} error=${settings.error} />
    ${settings.data ? html`<${StormForm} saved=${settings.data.storm} onSaved=${settings.setData} />` : settings.error ? null : html`<p class="muted">Loading…</p>`}
  <//>`;
}

function StormForm({ saved, onSaved }: { saved: Storm; onSaved: (settings: AlertSettings) => void }) {
  const [enabled, setEnabled] = useState(saved.enabled);
  const [threshold, setThreshold] = useState<number | null>(saved.threshold);
  const [windowMinutes, setWindowMinutes] = useState<number | null>(saved.windowMinutes);
  const [groupBy, setGroupBy] = useState<string>(saved.groupBy);
  const { errors, done, save } = useSave(async () =>
    onSaved(await put<AlertSettings>(SETTINGS, { storm: { enabled, threshold, windowMinutes, groupBy } })),
  );
  const per = saved.groupBy === 'client' ? 'of one client' : 'of one client and condition';
  return html`<form class="storm-settings" onSubmit=${(e: Event) => (e.preventDefault(), void save())}>
    <p class="muted" data-testid="storm-state">
      ${saved.enabled ? `On: ${saved.threshold} alerts ${per} within ${saved.windowMinutes} minutes open one storm ticket.` : 'Off: every alert a rule tickets opens its own ticket.'}
    </p>
    <${Checkbox} label="Group alert storms into one ticket" checked=${enabled} onChange=${setEnabled} />
    <div class="field-row">
      <${NumberField} label="Threshold (alerts)" value=${threshold} onChange=${setThreshold} error=${errors['storm.threshold']} hint="2 to 1000: the alert that makes this many opens the storm ticket." />
      <${NumberField} label="Window (minutes)" value=${windowMinutes} onChange=${setWindowMinutes} error=${errors['storm.windowMinutes']} hint="1 to 120: alerts counted together when they arrive within this time." />
      <${SelectField} label="Group by" value=${groupBy} options=${GROUP_BY} onChange=${setGroupBy} error=${errors['storm.groupBy']} />
    </div>
    <${ErrorText} error=${errors.form} />
    <div class="buttons">
      <${ActionButton} label="Save storm grouping" busyLabel="Saving…" onClick=${save} />
      <span class="ok-text" role="status">${done ? 'Storm grouping saved.' : ''}</span>
    </div>
  </form>`;
}
