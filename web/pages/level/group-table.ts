// The group tree (parents before children, indented by depth) with each group's path, device
// counts, its Mapped Client dropdown and where its devices go when it has no mapping of its own.
import { html } from 'htm/preact';
import type { Client, Group } from '../../api/types';
import { ClientPicker } from './client-picker';

export interface GroupTableProps {
  groups: Group[];
  clients: Client[];
  onMapped: () => Promise<void>;
  onClientsChanged: () => Promise<void>;
}

export function GroupTable(props: GroupTableProps) {
  const byId = new Map(props.groups.map((group) => [group.levelGroupId, group]));
  const clientNames = new Map(props.clients.map((client) => [client.id, client.name]));
  return html`<table class="groups">
    <thead>
      <tr><th scope="col">Level group</th><th scope="col">Devices</th><th scope="col">Mapped Client</th><th scope="col">Devices go to</th></tr>
    </thead>
    <tbody>
      ${props.groups.map(
        (group) => html`<tr key=${group.levelGroupId} class=${group.removed ? 'removed' : ''}>
          <th scope="row" class="group-name" style=${{ '--depth': String(depthOf(group)) }}>
            <span class="name">${group.name}</span>
            <span class="path">${group.path}</span>
          </th>
          <td data-label="Devices">${group.deviceCount}${group.descendantDeviceCount !== undefined && group.descendantDeviceCount !== group.deviceCount ? html` <span class="muted">(${group.descendantDeviceCount} with subgroups)</span>` : null}</td>
          <td data-label="Mapped Client"><${ClientPicker} group=${group} clients=${props.clients} onMapped=${props.onMapped} onClientsChanged=${props.onClientsChanged} /></td>
          <td data-label="Devices go to">${destination(group, byId, clientNames)}</td>
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function depthOf(group: Group): number {
  return group.depth ?? group.path.split(' / ').length - 1;
}

function destination(group: Group, byId: Map<string, Group>, clientNames: Map<string, string>): string {
  if (group.removed) return 'removed in Level (mapping kept, inactive)';
  if (!group.effectiveClientId) return 'skipped';
  const client = clientNames.get(group.effectiveClientId) ?? 'a client';
  if (group.mappedClientId) return client;
  const ancestor = group.inheritedFromGroupId ? byId.get(group.inheritedFromGroupId) : undefined;
  return `inherits ${client} from ${ancestor?.path ?? 'a parent group'}`;
}
