// The alerts benchmark's floor (bench/alerts.ts): an empty workflow that completes on its first
// signal. Bundled only by the bench's probe worker (bench/probe-worker.ts), never by the service.
import { condition, defineSignal, setHandler } from '@temporalio/workflow';

export const probeSignal = defineSignal<[unknown]>('probe');

export async function alertSignalProbe(): Promise<void> {
  let received = false;
  setHandler(probeSignal, () => {
    received = true;
  });
  await condition(() => received, '1 minute');
}
