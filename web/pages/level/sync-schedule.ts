// The scheduled device sync, under Run Device Sync: on or off and every how many minutes
// (15–1440; off by default). It runs the same single-flight sync as the button, so a tick while
// a sync runs is skipped. The server checks the interval and its message shows under the field.
import { html } from 'htm/preact';
import { useId, useState } from 'preact/hooks';
import { get, put } from '../../api/client';
import type { SyncSchedule } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { ErrorText } from '../../components/card';
import { useSave } from '../../components/field-errors';
import { Checkbox, NumberField } from '../../components/fields';
import { RelativeTime } from '../../components/relative-time';
import { useLoad } from '../../hooks/use-load';
import { LEVEL } from './loaders';

const SCHEDULE = `${LEVEL}/sync-schedule`;
/** The note the service leaves on a schedule turned off here: "Off" says it already. */
const OFF_HERE = 'Disabled in the service (PUT sync-schedule)';

export function SyncScheduleSection({ integrationId }: { integrationId: string }) {
  const id = useId();
  const schedule = useLoad(() => get<SyncSchedule>(SCHEDULE), [integrationId]);
  return html`<section class="sub-section" aria-labelledby=${id}>
    <h3 id=${id}>Scheduled sync</h3>
    <${ErrorText} error=${schedule.error} />
    ${schedule.data ? html`<${ScheduleForm} saved=${schedule.data} onSaved=${schedule.setData} />` : schedule.error ? null : html`<p class="muted">Loading…</p>`}
  </section>`;
}

function ScheduleForm({ saved, onSaved }: { saved: SyncSchedule; onSaved: (schedule: SyncSchedule) => void }) {
  const [enabled, setEnabled] = useState(saved.enabled);
  const [minutes, setMinutes] = useState<number | null>(saved.intervalMinutes);
  const { errors, done, save } = useSave(async () =>
    onSaved(await put<SyncSchedule>(SCHEDULE, { enabled, intervalMinutes: minutes })),
  );
  const note = saved.note && saved.note !== OFF_HERE ? ` (${saved.note})` : '';
  return html`<form class="schedule" onSubmit=${(e: Event) => (e.preventDefault(), void save())}>
    <p class="muted">
      ${saved.enabled ? html`On: every ${saved.intervalMinutes} minutes; next run <${RelativeTime} iso=${saved.nextRunAt} />.` : `Off${note}.`}
    </p>
    <${Checkbox} label="Sync devices on a schedule" checked=${enabled} onChange=${setEnabled} />
    <${NumberField}
      label="Every (minutes)"
      value=${minutes}
      onChange=${setMinutes}
      error=${errors.intervalMinutes}
      hint="15 to 1440 (a day). A tick while a sync is still running is skipped."
    />
    <${ErrorText} error=${errors.form} />
    <div class="buttons">
      <${ActionButton} label="Save schedule" busyLabel="Saving…" onClick=${save} />
      <span class="ok-text" role="status">${done ? 'Schedule saved.' : ''}</span>
    </div>
  </form>`;
}
