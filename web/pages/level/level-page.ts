// Settings → Integrations → RMM → Level: the seed's three cards. The page owns the integration
// (its status and summary line change with every card's actions) and the tenant's clients.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { fetchAll } from '../../api/lists';
import type { Client } from '../../api/types';
import { ErrorText } from '../../components/card';
import { useLoad } from '../../hooks/use-load';
import { ConnectionCard } from './connection-card';
import { MappingsCard } from './mappings-card';
import { loadGroups, loadIntegration, loadWebhook } from './loaders';
import { WebhookCard } from './webhook-card';

export function LevelPage() {
  // Everything the three cards show is asked for at once; the cards take these answers first.
  const [prefetched] = useState(() => ({ groups: loadGroups(), webhook: loadWebhook() }));
  const integration = useLoad(loadIntegration, []);
  const clients = useLoad(() => fetchAll<Client>('/api/v1/clients'), []);
  if (integration.data === undefined) {
    return html`<h1>Level</h1>${integration.error ? html`<${ErrorText} error=${integration.error} />` : html`<p role="status">Loading…</p>`}`;
  }
  const current = integration.data;
  const usable = current !== null && current.status !== 'disconnected' && current.apiKeyHint !== null;
  return html`<h1>Level</h1>
    <p class="lead">Settings → Integrations → RMM → Level</p>
    <div class="cards">
      <${ConnectionCard} integration=${current} onChanged=${integration.reload} />
      <${MappingsCard}
        integration=${current}
        usable=${usable}
        clients=${clients.data ?? []}
        onClientsChanged=${clients.reload}
        onChanged=${integration.reload}
        prefetchedGroups=${prefetched.groups}
      />
      <${WebhookCard} usable=${usable} prefetched=${prefetched.webhook} />
    </div>`;
}
