// A Temporal run started from a button: the start call, then the run polled until it closes
// (live progress in between). The button stays busy for the whole run.
import { useEffect, useRef, useState } from 'preact/hooks';
import { startRun, watchRun, type RunView, type StartedRun } from '../api/runs';

export interface RunState {
  busy: boolean;
  started?: StartedRun;
  live?: RunView;
  error?: string;
}

export function useRun(onClosed?: (run: RunView) => void | Promise<void>): {
  state: RunState;
  start: (path: string) => Promise<void>;
} {
  const [state, setState] = useState<RunState>({ busy: false });
  const unmounted = useRef(false);
  useEffect(() => () => void (unmounted.current = true), []);

  const start = async (path: string) => {
    setState({ busy: true });
    try {
      const started = await startRun(path);
      setState({ busy: true, started });
      const run = await watchRun(
        started.workflowId,
        (live) => setState({ busy: live.status === 'running', started, live }),
        () => unmounted.current,
      );
      if (!unmounted.current) await onClosed?.(run);
    } catch (err) {
      if (!unmounted.current) setState((previous) => ({ ...previous, busy: false, error: (err as Error).message }));
    }
  };
  return { state, start };
}
