// Clients & assets: the tenant's clients (create one here too) and a client's assets with the
// fields an admin spot-checks against Level (hostname, type, OS, Level group path, online,
// last seen).
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { post } from '../api/client';
import { fetchAll } from '../api/lists';
import type { Asset, Client, Group } from '../api/types';
import { ActionButton } from '../components/action-button';
import { LoadMore } from '../components/load-more';
import { Card, Empty, ErrorText } from '../components/card';
import { TextField } from '../components/fields';
import { RelativeTime } from '../components/relative-time';
import { useLoad } from '../hooks/use-load';
import { usePagedList } from '../hooks/use-paged-list';
import { href } from '../router';

export function ClientsPage({ clientId }: { clientId: string | undefined }) {
  const clients = useLoad(() => fetchAll<Client>('/api/v1/clients'), []);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const create = async () => {
    setError(undefined);
    try {
      await post('/api/v1/clients', { name: name.trim() });
      setName('');
      await clients.reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const selected = clients.data?.find((c) => c.id === clientId);
  return html`<h1>Clients & assets</h1>
    <div class="split">
      <${Card} title="Clients">
        ${clients.data && clients.data.length === 0 ? html`<${Empty}>No clients yet. Create one below, or with "New client…" in a group's Mapped Client dropdown.<//>` : null}
        <ul class="client-list">
          ${(clients.data ?? []).map((c) => html`<li key=${c.id}><a href=${href('clients', c.id)} aria-current=${c.id === clientId ? 'page' : undefined}>${c.name}</a></li>`)}
        </ul>
        <form onSubmit=${(e: Event) => (e.preventDefault(), void create())}>
          <${TextField} label="New client name" value=${name} onInput=${setName} error=${error} />
          <${ActionButton} label="Create client" disabled=${!name.trim()} onClick=${create} />
        </form>
      <//>
      ${selected ? html`<${AssetList} client=${selected} />` : html`<${Card} title="Assets"><p class="empty">Choose a client to see its assets.</p><//>`}
    </div>
    <${ErrorText} error=${clients.error} />`;
}

function AssetList({ client }: { client: Client }) {
  const assets = usePagedList<Asset>(`/api/v1/clients/${client.id}/assets`);
  const groups = useLoad(() => fetchAll<Group>('/api/v1/integrations/level/groups').catch(() => [] as Group[]), []);
  const paths = new Map((groups.data ?? []).map((g) => [g.levelGroupId, g.path]));
  return html`<${Card} title=${`Assets of ${client.name}`}>
    <${ErrorText} error=${assets.error} />
    ${assets.loaded && assets.items.length === 0 ? html`<${Empty}>No assets. Map a Level group to this client on the Level page, then click Run Device Sync.<//>` : null}
    ${
      assets.items.length > 0
        ? html`<p class="muted">${assets.items.length}${assets.nextCursor ? '+' : ''} assets</p>
          <table class="list assets">
            <thead><tr><th scope="col">Hostname</th><th scope="col">Type</th><th scope="col">OS</th><th scope="col">Level group</th><th scope="col">Online</th><th scope="col">Last seen</th></tr></thead>
            <tbody>
              ${assets.items.map(
                (a) => html`<tr key=${a.id}>
                  <th scope="row" data-label="Hostname">${a.hostname ?? a.name}</th>
                  <td data-label="Type">${a.assetType}</td>
                  <td data-label="OS">${a.osName ?? a.platform ?? '—'}</td>
                  <td data-label="Level group">${a.levelGroupId ? (paths.get(a.levelGroupId) ?? a.levelGroupId) : '—'}</td>
                  <td data-label="Online">${a.online ? 'Online' : 'Offline'}</td>
                  <td data-label="Last seen"><${RelativeTime} iso=${a.lastSeenAt} /></td>
                </tr>`,
              )}
            </tbody>
          </table>`
        : null
    }
    <${LoadMore} nextCursor=${assets.nextCursor} onLoad=${assets.loadMore} />
  <//>`;
}
