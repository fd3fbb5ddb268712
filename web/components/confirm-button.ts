// A destructive action behind an inline confirmation (no browser dialog): the first button asks,
// focus moves to the confirming button, Cancel (or Escape) goes back.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ActionButton } from './action-button';

export interface ConfirmButtonProps {
  label: string;
  /** Accessible name when the visible label is shared by several buttons (e.g. "Delete Catch-all"). */
  ariaLabel?: string;
  question: string;
  confirmLabel: string;
  small?: boolean;
  onConfirm: () => Promise<unknown> | void;
}

export function ConfirmButton(props: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.querySelector('button')?.focus();
  }, [asking]);
  if (!asking) {
    return html`<button type="button" class=${`button danger-outline${props.small ? ' small' : ''}`} aria-label=${props.ariaLabel} onClick=${() => setAsking(true)}>${props.label}</button>`;
  }
  const confirm = async () => {
    await props.onConfirm();
    setAsking(false);
  };
  return html`<div class="confirm" role="group" aria-label=${props.question} ref=${confirmRef} onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && setAsking(false)}>
    <span>${props.question}</span>
    <${ActionButton} label=${props.confirmLabel} kind="danger" onClick=${confirm} />
    <button type="button" class="button secondary" onClick=${() => setAsking(false)}>Cancel</button>
  </div>`;
}
