// The Mapped Client dropdown of one group row: the tenant's clients, "Not mapped", and
// "New client…", which asks for a name inline, creates the client and maps the group to it.
import { html } from 'htm/preact';
import { useId, useState } from 'preact/hooks';
import { post, put } from '../../api/client';
import type { Client, Group } from '../../api/types';
import { ErrorText } from '../../components/card';

const NEW_CLIENT = '__new__';
const LEVEL = '/api/v1/integrations/level';

export interface ClientPickerProps {
  group: Group;
  clients: Client[];
  onMapped: () => Promise<void>;
  onClientsChanged: () => Promise<void>;
}

export function ClientPicker({ group, clients, onMapped, onClientsChanged }: ClientPickerProps) {
  const id = useId();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState(group.name);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const map = async (clientId: string | null) => {
    setBusy(true);
    setError(undefined);
    try {
      await put(`${LEVEL}/groups/${encodeURIComponent(group.levelGroupId)}/mapping`, { clientId });
      await onMapped();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const choose = (value: string) => (value === NEW_CLIENT ? setCreating(true) : void map(value || null));
  const create = async (event: Event) => {
    event.preventDefault();
    try {
      const client = await post<Client>('/api/v1/clients', { name: name.trim() });
      await onClientsChanged();
      setCreating(false);
      await map(client.id);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return html`<div class="client-picker">
    <label class="visually-hidden" for=${id}>Mapped Client for ${group.path}</label>
    <select id=${id} value=${creating ? NEW_CLIENT : (group.mappedClientId ?? '')} disabled=${busy} aria-busy=${busy ? 'true' : undefined} onChange=${(e: Event) => choose((e.currentTarget as HTMLSelectElement).value)}>
      <option value="">Not mapped</option>
      ${clients.map((client) => html`<option key=${client.id} value=${client.id}>${client.name}</option>`)}
      <option value=${NEW_CLIENT}>New client…</option>
    </select>
    ${
      creating
        ? html`<form class="inline-form" onSubmit=${create}>
          <label for=${`${id}-new`}>New client name</label>
          <input id=${`${id}-new`} value=${name} onInput=${(e: Event) => setName((e.currentTarget as HTMLInputElement).value)} required />
          <button type="submit" class="button primary small">Create and map</button>
          <button type="button" class="button secondary small" onClick=${() => setCreating(false)}>Cancel</button>
        </form>`
        : null
    }
    <${ErrorText} error=${error} />
  </div>`;
}
