// A secret shown masked, with an eye button that reveals it (aria-pressed says which state it
// is in) and a copy button that copies the real value either way.
import { html } from 'htm/preact';
import { useId } from 'preact/hooks';
import { CopyButton } from '../../components/copy-button';

export interface SecretFieldProps {
  label: string;
  masked: string;
  revealed: string | null;
  onReveal: () => Promise<void>;
  onHide: () => void;
  copy: () => Promise<string>;
}

export function SecretField(props: SecretFieldProps) {
  const id = useId();
  const shown = props.revealed !== null;
  return html`<div class="field secret">
    <label for=${id}>${props.label}</label>
    <div class="secret-row">
      <input id=${id} readOnly value=${shown ? props.revealed : props.masked} spellcheck=${false} autocomplete="off" />
      <button type="button" class="button secondary small icon" aria-label=${shown ? 'Hide secret' : 'Reveal secret'} aria-pressed=${shown ? 'true' : 'false'} onClick=${() => (shown ? props.onHide() : void props.onReveal())}>
        ${eyeIcon(shown)}
      </button>
      <${CopyButton} label="Copy secret" text=${props.copy} />
    </div>
  </div>`;
}

function eyeIcon(crossed: boolean) {
  return html`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
    <path d="M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12z" fill="none" stroke="currentColor" stroke-width="2" />
    <circle cx="12" cy="12" r="3" fill="none" stroke="currentColor" stroke-width="2" />
    ${crossed ? html`<line x1="3" y1="3" x2="21" y2="21" stroke="currentColor" stroke-width="2" />` : null}
  </svg>`;
}
