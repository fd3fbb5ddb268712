// A button for an async action: disabled and marked busy while the action runs, so a second
// click cannot start it twice and assistive technology hears that it is working.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

export interface ActionButtonProps {
  label: string;
  busyLabel?: string;
  /** Busy from outside (e.g. while a started run is still going). */
  busy?: boolean;
  disabled?: boolean;
  kind?: 'primary' | 'secondary' | 'danger';
  onClick: () => Promise<unknown> | void;
}

export function ActionButton(props: ActionButtonProps) {
  const [pending, setPending] = useState(false);
  const busy = pending || Boolean(props.busy);
  const click = async () => {
    setPending(true);
    try {
      await props.onClick();
    } finally {
      setPending(false);
    }
  };
  return html`<button type="button" class=${`button ${props.kind ?? 'secondary'}`} disabled=${busy || props.disabled} aria-busy=${busy ? 'true' : undefined} onClick=${click}>
    ${busy ? (props.busyLabel ?? `${props.label}…`) : props.label}
  </button>`;
}
