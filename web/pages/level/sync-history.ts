// The device sync history, newest first: when each run started, what started it (a person, the
// schedule, a webhook), how it ended, its counts, how long it took and its page in the Temporal
// UI. It reloads when a sync started here starts or ends, or the integration's last sync changes.
import { html } from 'htm/preact';
import { useId } from 'preact/hooks';
import type { SyncCounts, SyncRun } from '../../api/types';
import { Empty, ErrorText } from '../../components/card';
import { LoadMore } from '../../components/load-more';
import { RelativeTime } from '../../components/relative-time';
import { RunLink } from '../../components/run-link';
import { usePagedList } from '../../hooks/use-paged-list';
import { LEVEL } from './loaders';

const TRIGGERS: Record<string, string> = { manual: 'Manual', schedule: 'Schedule', webhook: 'Webhook' };

export function SyncHistory({ refresh }: { refresh: unknown[] }) {
  const id = useId();
  const runs = usePagedList<SyncRun>(`${LEVEL}/sync-runs?limit=10`, refresh);
  return html`<section class="sub-section" aria-labelledby=${id}>
    <h3 id=${id}>Sync history</h3>
    <${ErrorText} error=${runs.error} />
    ${runs.loaded && runs.items.length === 0 ? html`<${Empty}>No device sync has run yet.<//>` : null}
    ${
      runs.items.length > 0
        ? html`<table class="list">
          <thead><tr><th scope="col">Started</th><th scope="col">Trigger</th><th scope="col">Status</th><th scope="col">Counts</th><th scope="col">Duration</th><th scope="col">Run</th></tr></thead>
          <tbody>
            ${runs.items.map(
              (run) => html`<tr key=${run.id}>
                <td data-label="Started"><${RelativeTime} iso=${run.startedAt} /></td>
                <td data-label="Trigger">${TRIGGERS[run.trigger] ?? run.trigger}</td>
                <td data-label="Status" class=${run.status === 'failed' ? 'error-text' : ''}>${statusOf(run)}</td>
                <td data-label="Counts">${run.result ? countsOf(run.result) : '—'}</td>
                <td data-label="Duration">${run.finishedAt ? duration(Date.parse(run.finishedAt) - Date.parse(run.startedAt)) : '—'}</td>
                <td data-label="Run"><${RunLink} workflowId=${run.workflowId} runId=${run.runId ?? undefined} label="Temporal UI" /></td>
              </tr>`,
            )}
          </tbody>
        </table>`
        : null
    }
    <${LoadMore} nextCursor=${runs.nextCursor} onLoad=${runs.loadMore} />
  </section>`;
}

function statusOf(run: SyncRun): string {
  if (run.status !== 'running') return run.status;
  return run.expected ? `running (${run.processed ?? 0} of ${run.expected})` : 'running';
}

/** The counts that say what changed; relinked (rare) only when it happened. */
function countsOf(counts: SyncCounts): string {
  const parts = [`${counts.created} created`, `${counts.updated} updated`, `${counts.moved} moved`];
  if (counts.relinked) parts.push(`${counts.relinked} relinked`);
  parts.push(`${counts.archived} archived`, `${counts.failed} failed`);
  return parts.join(' · ');
}

/** "0.4 s", "12 s", "3 min 5 s", "1 h 2 min". */
export function duration(ms: number): string {
  if (!(ms >= 0)) return '—';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}
