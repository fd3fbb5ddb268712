// Card 3, "Alert Webhook": what to paste into Level (Webhook URL, the X-Alga-Webhook-Secret
// header with its value masked until the eye button reveals it, the payload template), each with
// a copy button; Rotate secret behind a confirmation; a native webhook's signing secret (saved,
// never shown back); Send test alert; and the setup steps.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { get, post, put } from '../../api/client';
import type { WebhookCard as Card_ } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { Card, ErrorText } from '../../components/card';
import { ConfirmButton } from '../../components/confirm-button';
import { CopyButton } from '../../components/copy-button';
import { TextField } from '../../components/fields';
import { useLoad } from '../../hooks/use-load';
import { firstFrom } from '../../api/prefetch';
import { loadWebhook } from './loaders';
import { DeliveryLog } from './delivery-log';
import { SecretField } from './secret-field';
import { SetupSteps } from './setup-steps';
import { TestAlert } from './test-alert';

const WEBHOOK = '/api/v1/integrations/level/webhook';

export function WebhookCard({ usable, prefetched }: { usable: boolean; prefetched: Promise<Card_ | null> }) {
  const [load] = useState(() => firstFrom(prefetched, loadWebhook));
  const card = useLoad(() => (usable ? load() : Promise.resolve(null)), [usable]);
  const [revealed, setRevealed] = useState<string | null>(null);
  const reveal = async () => (await get<Card_>(`${WEBHOOK}?reveal=true`)).header.value ?? '';
  const rotate = async () => {
    const rotated = await post<Card_>(`${WEBHOOK}/rotate-secret`);
    setRevealed(rotated.header.value);
    card.setData(rotated);
  };
  if (!usable) {
    return html`<${Card} title="Alert Webhook"><p class="hint">Save a Level API key in Level Connection first; the webhook is created with it.</p><//>`;
  }
  const data = card.data;
  if (!data)
    return html`<${Card} title="Alert Webhook">${card.error ? html`<${ErrorText} error=${card.error} />` : html`<p role="status">Loading…</p>`}<//>`;
  const template = JSON.stringify(data.payloadTemplate, null, 2);
  return html`<${Card} title="Alert Webhook">
    <div class="copy-row">
      <${TextField} label="Webhook URL" value=${data.url} readOnly onInput=${() => undefined} />
      <${CopyButton} label="Copy Webhook URL" text=${data.url} />
    </div>
    <p class="field-label">Header <code>${data.header.name}</code></p>
    <${SecretField} label="Header value" masked=${data.header.value ?? ''} revealed=${revealed} onReveal=${async () => setRevealed(await reveal())} onHide=${() => setRevealed(null)} copy=${() => Promise.resolve(revealed ?? reveal())} />
    <${ConfirmButton} label="Rotate secret" question="Rotate the secret? Level's automations must be updated with the new value." confirmLabel="Yes, rotate" onConfirm=${rotate} />
    <div class="template">
      <p class="field-label" id="payload-template-label">Payload template</p>
      <pre aria-labelledby="payload-template-label" tabindex="0">${template}</pre>
      <${CopyButton} label="Copy payload template" text=${template} />
    </div>
    <${SigningSecret} configured=${data.signingSecretConfigured} onSaved=${card.reload} />
    <${TestAlert} />
    <${DeliveryLog} stats=${data.deliveryStats} />
    <${SetupSteps} />
  <//>`;
}

function SigningSecret({ configured, onSaved }: { configured: boolean; onSaved: () => Promise<void> }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const save = async () => {
    setError(undefined);
    try {
      await put(`${WEBHOOK}/signing-secret`, { secret: secret.trim() });
      setSecret('');
      await onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`<form class="signing" onSubmit=${(e: Event) => (e.preventDefault(), void save())}>
    <${TextField}
      label="Signing secret of a native Level webhook"
      type="password"
      value=${secret}
      onInput=${setSecret}
      error=${error}
      hint=${configured ? 'A signing secret is saved (it is never shown back). Paste a new one to replace it.' : 'Optional: Level → Settings → Webhooks shows it when you create the webhook.'}
    />
    <${ActionButton} label="Save signing secret" disabled=${secret.trim().length === 0} onClick=${save} />
  </form>`;
}
