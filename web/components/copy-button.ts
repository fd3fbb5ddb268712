// Copies a value to the clipboard and says so ("Copied") in a live region. The value may be
// fetched on click (the webhook secret is copied without being shown).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

export function CopyButton(props: { label: string; text: string | (() => Promise<string>) }) {
  const [status, setStatus] = useState('');
  const copy = async () => {
    try {
      const text = typeof props.text === 'string' ? props.text : await props.text();
      await navigator.clipboard.writeText(text);
      setStatus('Copied');
    } catch {
      setStatus('Copy failed: select the text and copy it by hand');
    }
  };
  return html`<span class="copy">
    <button type="button" class="button secondary small" onClick=${copy}>${props.label}</button>
    <span class="copy-status" role="status">${status}</span>
  </span>`;
}
