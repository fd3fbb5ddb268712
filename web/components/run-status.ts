// What a started run shows under its button: live progress while it runs, then its result
// (rendered by the caller) or its failure, and the link to the run in the Temporal UI.
import { html } from 'htm/preact';
import type { ComponentChildren } from 'preact';
import type { RunView } from '../api/runs';
import type { RunState } from '../hooks/use-run';
import { RunLink } from './run-link';

export interface RunStatusProps {
  state: RunState;
  progress?: (progress: unknown) => ComponentChildren;
  result: (result: unknown, run: RunView) => ComponentChildren;
}

export function RunStatus({ state, progress, result }: RunStatusProps) {
  if (!state.started && !state.error) return null;
  const live = state.live;
  let body: ComponentChildren = 'Starting…';
  if (state.error) body = html`<span class="error-text">${state.error}</span>`;
  else if (live?.status === 'running') body = (live.progress && progress?.(live.progress)) || 'Running…';
  else if (live?.status === 'completed') body = result(live.result, live);
  else if (live)
    body = html`<span class="error-text">Run ${live.status}: ${live.failure?.message ?? 'no details'}</span>`;
  return html`<div class="run-status">
    <p role="status">${body}</p>
    ${state.started ? html`<${RunLink} workflowId=${state.started.workflowId} runId=${state.started.runId} />` : null}
  </div>`;
}
