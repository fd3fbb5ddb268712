// "Load more" for a paginated list; absent when the server said there is nothing more.
import { html } from 'htm/preact';
import { ActionButton } from './action-button';

export function LoadMore({ nextCursor, onLoad }: { nextCursor: string | null; onLoad: () => Promise<void> }) {
  if (!nextCursor) return null;
  return html`<div class="buttons"><${ActionButton} label="Load more" busyLabel="Loading…" onClick=${onLoad} /></div>`;
}
