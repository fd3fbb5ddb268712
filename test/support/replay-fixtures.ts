// The replay fixtures (test/fixtures/histories): recorded runs that test/replay/replay.test.ts
// replays on every run, so a change that breaks a run in flight is caught. A suite that makes a
// run worth keeping replays it here and saves it when asked: RECORD_HISTORIES=1 rewrites every
// fixture; RECORD_HISTORIES=alertLifecycle,deviceSync-cancelled rewrites only those named.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../../worker/create-worker';

/** The folder of the committed histories. */
export const HISTORY_FIXTURES = join(__dirname, '..', 'fixtures', 'histories');

/** The file of the fixture `name`. */
export const fixturePath = (name: string): string => join(HISTORY_FIXTURES, `${name}.json`);

/** Whether this run rewrites the fixture `name` (RECORD_HISTORIES=1: all; or a comma-separated list of names). */
export function shouldRecord(name: string): boolean {
  const wanted = process.env.RECORD_HISTORIES ?? '';
  return (
    wanted === '1' ||
    wanted
      .split(',')
      .map((entry) => entry.trim())
      .includes(name)
  );
}

/** Saves `history` as the fixture `name` (protobufjs's toJSON, which replay.test.ts reads back). */
export function saveFixture(name: string, history: temporal.api.history.v1.IHistory): void {
  mkdirSync(HISTORY_FIXTURES, { recursive: true });
  writeFileSync(fixturePath(name), JSON.stringify(history));
}

/** Replays the run's history with the worker's workflow bundle (it fails on non-determinism); saves it as `fixture` when asked. */
export async function replayAndRecord(handle: WorkflowHandle, fixture: string): Promise<void> {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, handle.workflowId);
  if (shouldRecord(fixture)) saveFixture(fixture, history);
}
