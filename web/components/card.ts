// A titled section of a page; its heading names the region for screen readers.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

export function Card({
  title,
  children,
  actions,
}: {
  title: string;
  children: ComponentChildren;
  actions?: ComponentChildren;
}) {
  const id = useId();
  return html`<section class="card" aria-labelledby=${id}>
    <header class="card-header">
      <h2 id=${id}>${title}</h2>
      ${actions ? html`<div class="card-actions">${actions}</div>` : null}
    </header>
    ${children}
  </section>`;
}

export function ErrorText({ error }: { error: Error | string | undefined | null }) {
  if (!error) return null;
  return html`<p class="error-text" role="alert">${typeof error === 'string' ? error : error.message}</p>`;
}

export function Empty({ children }: { children: ComponentChildren }) {
  return html`<p class="empty">${children}</p>`;
}
