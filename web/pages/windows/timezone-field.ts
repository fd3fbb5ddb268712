// The IANA time zone picker: a text field with the browser's list of zones as suggestions
// (typing filters it), so a zone can be found by city without scrolling 400 entries.
import { html } from 'htm/preact';
import { useId } from 'preact/hooks';

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

export function TimezoneField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | undefined;
}) {
  const id = useId();
  return html`<div class="field">
    <label for=${id}>Time zone</label>
    <input id=${id} list=${`${id}-zones`} value=${value} autocomplete="off" aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? `${id}-error` : undefined} onInput=${(e: Event) => onChange((e.currentTarget as HTMLInputElement).value)} />
    <datalist id=${`${id}-zones`}>${ZONES.map((zone) => html`<option key=${zone} value=${zone} />`)}</datalist>
    ${error ? html`<p class="field-error" id=${`${id}-error`}>${error}</p>` : null}
  </div>`;
}
