// The console's shell: sign-in until there is a token, then the navigation bar and the page the
// URL fragment names. A 401 from any call clears the token and comes back here with a message.
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { setUnauthorizedHandler } from './api/client';
import { session } from './api/session';
import { Nav } from './nav';
import { AlertsPage } from './pages/alerts-page';
import { ClientsPage } from './pages/clients-page';
import { LevelPage } from './pages/level/level-page';
import { RulesPage } from './pages/rules/rules-page';
import { SignIn } from './pages/sign-in';
import { TicketsPage } from './pages/tickets/tickets-page';
import { WindowsPage } from './pages/windows/windows-page';
import { useRoute, type Route } from './router';

export function App() {
  const [token, setToken] = useState(session.token());
  const [message, setMessage] = useState<string | undefined>(undefined);
  const route = useRoute();
  useEffect(() => {
    setUnauthorizedHandler((reason) => {
      setMessage(reason);
      setToken(null);
    });
  }, []);
  if (!token) {
    return html`<${SignIn} message=${message} onSignedIn=${(value: string) => (setMessage(undefined), setToken(value))} />`;
  }
  const signOut = () => {
    session.clear();
    setMessage('You signed out.');
    setToken(null);
  };
  return html`<div class="shell">
    <a class="skip-link" href="#main" onClick=${skipToMain}>Skip to content</a>
    <${Nav} route=${route} onSignOut=${signOut} />
    <main id="main" tabindex="-1">${page(route)}</main>
  </div>`;
}

function page(route: Route) {
  switch (route.page) {
    case 'rules':
      return html`<${RulesPage} />`;
    case 'windows':
      return html`<${WindowsPage} />`;
    case 'tickets':
      return html`<${TicketsPage} ticketId=${route.id} />`;
    case 'alerts':
      return html`<${AlertsPage} />`;
    case 'clients':
      return html`<${ClientsPage} clientId=${route.id} />`;
    default:
      return html`<${LevelPage} />`;
  }
}

/** The fragment names pages, so the skip link moves focus itself instead of navigating. */
function skipToMain(event: Event): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
