// The navigation bar: the Level page first (Settings → Integrations → RMM → Level), then the
// alert pipeline's pages, and Sign out.
import { html } from 'htm/preact';
import { href, type Route } from './router';

const PAGES: Array<[string, string]> = [
  ['level', 'Level'],
  ['rules', 'Alert rules'],
  ['windows', 'Maintenance windows'],
  ['tickets', 'Tickets'],
  ['alerts', 'Alerts'],
  ['clients', 'Clients & assets'],
];

export function Nav({ route, onSignOut }: { route: Route; onSignOut: () => void }) {
  return html`<header class="topbar">
    <p class="brand">Level integration</p>
    <nav aria-label="Main">
      <ul>
        ${PAGES.map(
          ([page, label]) =>
            html`<li key=${page}><a href=${href(page)} aria-current=${route.page === page ? 'page' : undefined}>${label}</a></li>`,
        )}
      </ul>
    </nav>
    <button type="button" class="button secondary small" onClick=${onSignOut}>Sign out</button>
  </header>`;
}
