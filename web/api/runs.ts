// Temporal runs started from the console: the start answer, then GET /api/v1/runs/:workflowId
// polled until the run closes (its `progress` is the workflow's progress query while it runs).
import { get, post } from './client';

export interface StartedRun {
  workflowId: string;
  runId: string;
  status: string;
  alreadyRunning?: boolean;
}

export interface RunFailure {
  message: string;
  type?: string;
}

export interface RunView {
  workflowId: string;
  runId: string;
  type: string;
  status: 'running' | 'completed' | 'failed' | 'canceled' | 'terminated' | 'timed_out';
  startedAt: string;
  closedAt: string | null;
  result: unknown;
  failure: RunFailure | null;
  progress: unknown;
}

const POLL_MS = 400;

export function startRun(path: string): Promise<StartedRun> {
  return post<StartedRun>(path);
}

export function readRun(workflowId: string): Promise<RunView> {
  return get<RunView>(`/api/v1/runs/${encodeURIComponent(workflowId)}`);
}

/** Polls until the run is no longer running; each reading goes to onUpdate. */
export async function watchRun(
  workflowId: string,
  onUpdate: (run: RunView) => void,
  isCancelled: () => boolean,
): Promise<RunView> {
  for (;;) {
    const run = await readRun(workflowId);
    if (isCancelled()) return run;
    onUpdate(run);
    if (run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
