// How the Level runs' progress and results read on the Sync & Group Mappings card.
import { html } from 'htm/preact';

const count = (value: unknown) => (typeof value === 'number' ? value : 0);

export function discoverResult(result: unknown) {
  const r = result as Record<string, unknown>;
  return html`<span class="ok-text">Discovered ${count(r.groups)} groups: ${count(r.created)} new, ${count(r.updated)} updated, ${count(r.removed)} removed.</span>`;
}

export function syncProgress(progress: unknown) {
  const p = progress as { phase?: string; processed?: number; expected?: number };
  const of = p.expected ? ` of ${p.expected}` : '';
  return html`<span class="progress">Syncing (${p.phase ?? 'running'}): ${count(p.processed)}${of} devices done</span>`;
}

export function syncResult(result: unknown) {
  const r = result as Record<string, unknown>;
  const failed = count(r.failed) > 0 ? html`, <strong>${count(r.failed)}</strong> failed` : null;
  // Relinked (a re-enrolled device took over its asset) is rare: named only when it happened.
  const relinked = count(r.relinked) > 0 ? html`<strong>${count(r.relinked)}</strong> relinked by serial, ` : null;
  return html`<span class="ok-text">Device sync finished: <strong>${count(r.created)}</strong> created, <strong>${count(r.updated)}</strong> updated, <strong>${count(r.moved)}</strong> moved, ${relinked}<strong>${count(r.archived)}</strong> archived, <strong>${count(r.skipped)}</strong> skipped${failed}.</span>`;
}

export function backfillResult(result: unknown) {
  const r = result as Record<string, unknown>;
  return html`<span class="ok-text">Backfill finished: ${count(r.fetched)} fetched, ${count(r.new)} new, ${count(r.updated)} updated, ${count(r.resolved)} resolved.</span>`;
}
