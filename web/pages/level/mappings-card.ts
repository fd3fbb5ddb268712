// Card 2, "Sync & Group Mappings": the summary line with the time of the last sync, Discover
// Groups, the group tree with a Mapped Client dropdown per row, Run Device Sync with live progress
// then its counts, Backfill Alerts, the scheduled sync and the sync history. Each run links to
// the Temporal UI.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { firstFrom } from '../../api/prefetch';
import type { RunView } from '../../api/runs';
import type { Client, Group, Integration } from '../../api/types';
import { ActionButton } from '../../components/action-button';
import { Card, Empty, ErrorText } from '../../components/card';
import { RelativeTime } from '../../components/relative-time';
import { RunStatus } from '../../components/run-status';
import { useLoad } from '../../hooks/use-load';
import { useRun } from '../../hooks/use-run';
import { GroupTable } from './group-table';
import { loadGroups } from './loaders';
import { backfillResult, discoverResult, syncProgress, syncResult } from './run-results';
import { SyncHistory } from './sync-history';
import { SyncScheduleSection } from './sync-schedule';

const LEVEL = '/api/v1/integrations/level';

export interface MappingsCardProps {
  integration: Integration | null;
  usable: boolean;
  clients: Client[];
  onClientsChanged: () => Promise<void>;
  onChanged: () => Promise<void>;
  prefetchedGroups: Promise<Group[]>;
}

export function MappingsCard(props: MappingsCardProps) {
  const { integration, usable } = props;
  const [load] = useState(() => firstFrom(props.prefetchedGroups, loadGroups));
  const groups = useLoad(load, [integration?.id]);
  const [lastSync, setLastSync] = useState<string | undefined>(undefined);
  const afterRun = async () => {
    await Promise.all([groups.reload(), props.onChanged()]);
  };
  const discover = useRun(afterRun);
  const sync = useRun(async (run: RunView) => {
    if (run.status === 'completed' && run.closedAt) setLastSync(run.closedAt);
    await afterRun();
  });
  const backfill = useRun(props.onChanged);
  // The integration's lastSyncAt; from servers that do not report it, only a sync run from this page is known.
  const lastSyncAt = integration?.lastSyncAt !== undefined ? integration.lastSyncAt : lastSync;
  const summary = integration?.summary;

  return html`<${Card} title="Sync & Group Mappings">
    <div class="status-line">
      ${
        summary
          ? html`<p class="summary" role="status" aria-label="Summary">
            ${countOf(summary.mappedGroups, 'mapped group', 'mapped groups')}${' · '}${countOf(summary.devices, 'device', 'devices')}${' · '}${countOf(summary.activeAlerts, 'active alert', 'active alerts')}
          </p>`
          : null
      }
      ${lastSyncAt !== undefined ? html`<span class="muted">Last sync: <${RelativeTime} iso=${lastSyncAt} /></span>` : null}
    </div>
    ${usable ? null : html`<p class="hint">Save a Level API key in Level Connection first.</p>`}
    <div class="buttons">
      <${ActionButton} label="Discover Groups" busyLabel="Discovering…" busy=${discover.state.busy} disabled=${!usable} onClick=${() => discover.start(`${LEVEL}/discover-groups`)} />
    </div>
    <${RunStatus} state=${discover.state} result=${discoverResult} />
    <${ErrorText} error=${groups.error} />
    ${groups.data && groups.data.length === 0 ? html`<${Empty}>No groups yet — click Discover Groups.<//>` : null}
    ${
      groups.data && groups.data.length > 0
        ? html`<${GroupTable} groups=${groups.data} clients=${props.clients} onMapped=${afterRun} onClientsChanged=${props.onClientsChanged} />`
        : null
    }
    <div class="buttons">
      <${ActionButton} label="Run Device Sync" busyLabel="Syncing…" busy=${sync.state.busy} disabled=${!usable} onClick=${() => sync.start(`${LEVEL}/device-sync`)} />
      <${ActionButton} label="Backfill Alerts" busyLabel="Backfilling…" busy=${backfill.state.busy} disabled=${!usable} onClick=${() => backfill.start(`${LEVEL}/backfill-alerts`)} />
    </div>
    <${RunStatus} state=${sync.state} progress=${syncProgress} result=${syncResult} />
    <${RunStatus} state=${backfill.state} result=${backfillResult} />
    ${
      integration
        ? html`<${SyncScheduleSection} integrationId=${integration.id} />
          <${SyncHistory} refresh=${[integration.id, integration.lastSyncAt, sync.state.started?.runId, sync.state.busy]} />`
        : null
    }
  <//>`;
}

function countOf(count: number, one: string, many: string) {
  return html`<strong>${count}</strong> ${count === 1 ? one : many}`;
}
