// Card 1, "Level Connection": the API key (only its hint is ever shown back), the base URL under
// "Advanced", Save Configuration, Test Connection (a run; busy until it ends), the status badge
// with the connection time, the last error, and Disconnect behind a confirmation.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { ApiError, del, put } from '../../api/client';
import type { Integration } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { Card, ErrorText } from '../../components/card';
import { ConfirmButton } from '../../components/confirm-button';
import { TextField } from '../../components/fields';
import { RelativeTime } from '../../components/relative-time';
import { RunStatus } from '../../components/run-status';
import { useRun } from '../../hooks/use-run';
import { StatusBadge } from './status-badge';

const LEVEL = '/api/v1/integrations/level';

export function ConnectionCard({
  integration,
  onChanged,
}: {
  integration: Integration | null;
  onChanged: () => Promise<void>;
}) {
  const [apiKey, setApiKey] = useState('');
  const [baseUrl, setBaseUrl] = useState(integration?.baseUrl ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState('');
  const test = useRun(onChanged);

  const save = async () => {
    setErrors({});
    setSaved('');
    try {
      await put(LEVEL, { apiKey: apiKey.trim(), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}) });
      setApiKey('');
      setSaved('Configuration saved. Test the connection next.');
      await onChanged();
    } catch (err) {
      setErrors(
        err instanceof ApiError && Object.keys(err.fields).length > 0 ? err.fields : { form: (err as Error).message },
      );
    }
  };
  const disconnect = async () => {
    try {
      await del(LEVEL);
      await onChanged();
    } catch (err) {
      setErrors({ form: (err as Error).message });
    }
  };
  const hint = integration?.apiKeyHint
    ? `Saved key: ${integration.apiKeyHint}. Paste a new key to replace it.`
    : 'Level → Settings → API keys.';
  return html`<${Card} title="Level Connection">
    <div class="status-line">
      <${StatusBadge} status=${integration?.status ?? 'not_configured'} />
      ${integration?.status === 'connected' ? html`<span>since <${RelativeTime} iso=${integration.connectedAt} /></span>` : null}
      ${integration?.lastTestedAt ? html`<span class="muted">last tested <${RelativeTime} iso=${integration.lastTestedAt} /></span>` : null}
    </div>
    ${integration?.lastError ? html`<p class="error-text">Last error: ${typeof integration.lastError === 'string' ? integration.lastError : integration.lastError.message}</p>` : null}
    <form onSubmit=${(e: Event) => (e.preventDefault(), void save())}>
      <${TextField} label="API key" type="password" value=${apiKey} onInput=${setApiKey} error=${errors.apiKey} hint=${hint} autocomplete="off" />
      <details class="advanced" open=${Boolean(errors.baseUrl)}>
        <summary>Advanced</summary>
        <${TextField} label="Base URL" type="url" value=${baseUrl} onInput=${setBaseUrl} error=${errors.baseUrl} placeholder="https://api.level.io" />
      </details>
      <${ErrorText} error=${errors.form} />
      ${saved ? html`<p role="status" class="ok-text">${saved}</p>` : null}
      <div class="buttons">
        <${ActionButton} label="Save Configuration" busyLabel="Saving…" kind="primary" disabled=${!apiKey.trim()} onClick=${save} />
        <${ActionButton}
          label="Test Connection"
          busyLabel="Testing…"
          busy=${test.state.busy}
          disabled=${!integration?.apiKeyHint}
          onClick=${() => test.start(`${LEVEL}/test-connection`)}
        />
        ${
          integration && integration.status !== 'disconnected'
            ? html`<${ConfirmButton} label="Disconnect" question="Disconnect Level? The key and webhook secrets are removed; groups, assets and tickets stay." confirmLabel="Yes, disconnect" onConfirm=${disconnect} />`
            : null
        }
      </div>
    </form>
    <${RunStatus} state=${test.state} result=${testResult} />
  <//>`;
}

function testResult(result: unknown) {
  const outcome = result as { ok: boolean; error?: { message: string } };
  if (outcome.ok) return html`<span class="ok-text">Connection test passed.</span>`;
  return html`<span class="error-text">Connection test failed: ${outcome.error?.message ?? 'unknown error'}</span>`;
}
