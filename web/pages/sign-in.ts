// Sign-in with an admin token (printed by `npm start` on first run, or by
// `npm run admin -- tenant:create`). The token is checked with one API call before it is kept.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client';
import { session } from '../api/session';
import { TextField } from '../components/fields';

export function SignIn({ message, onSignedIn }: { message: string | undefined; onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const value = token.trim();
    if (!value) return setError('Paste your admin token.');
    setBusy(true);
    session.save(value);
    try {
      await api('GET', '/api/v1/clients', undefined, true);
      onSignedIn(value);
    } catch (err) {
      session.clear();
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That token was not accepted. Check that you pasted it whole.'
          : (err as Error).message,
      );
    } finally {
      setBusy(false);
    }
  };
  return html`<main class="sign-in" id="main">
    <h1>Level integration · Admin console</h1>
    ${message ? html`<p class="notice" role="status">${message}</p>` : null}
    <form onSubmit=${submit} class="card">
      <${TextField}
        label="Admin token"
        type="password"
        value=${token}
        onInput=${(value: string) => (setToken(value), setError(undefined))}
        error=${error}
        hint="Printed by npm start on first run, or by npm run admin -- tenant:create. Kept only in this browser tab."
      />
      <button type="submit" class="button primary" disabled=${busy} aria-busy=${busy ? 'true' : undefined}>${busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  </main>`;
}
