// Workflow tests with mocked activities, on the test's Temporal dev server: each test gets a
// worker of its own task queue running the real workflow bundle with the activities it passes, so
// the mocks decide what the workflow sees (Temporal's time-skipping test server would need a
// download this machine cannot make).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { workflowBundle } from '../../worker/create-worker';
import { getTestEnv, type TestEnv } from './test-env';

/**
 * Registers the suite's hooks (the shared env and one worker connection) and returns
 * `withWorker(activities, test)`: runs `test` while a worker with those activities polls the task
 * queue it is given. `started` receives the env once it is up.
 */
export function mockedActivityWorkers<A extends object>(name: string, started: (env: TestEnv) => void) {
  let env: TestEnv;
  let connection: NativeConnection | undefined;
  before(async () => {
    env = await getTestEnv();
    connection = await NativeConnection.connect({ address: env.services.temporal.address });
    started(env);
  });
  after(async () => {
    await connection?.close();
  });
  return async function withWorker(activities: Partial<A>, test: (taskQueue: string) => Promise<void>): Promise<void> {
    const taskQueue = `${name}-${randomUUID()}`;
    const worker = await Worker.create({
      connection: connection!,
      namespace: env.config.temporalNamespace,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities,
    });
    await worker.runUntil(test(taskQueue));
  };
}

/** The reason a run ended as it did (rejects unless it failed or was cancelled). */
export async function failureOf(handle: WorkflowHandle): Promise<Error | undefined> {
  const err = await handle.result().then(
    () => assert.fail('the run was expected to end unsuccessfully'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkflowFailedError, `a WorkflowFailedError, not ${String(err)}`);
  return err.cause;
}

/** Asserts that the run failed (status FAILED) because an activity failed with an ApplicationFailure of `type`. */
export async function assertFailedByActivity(handle: WorkflowHandle, type: string): Promise<void> {
  const cause = await failureOf(handle);
  assert.ok(cause instanceof ActivityFailure, `an activity failure, not ${String(cause)}`);
  assert.ok(cause.cause instanceof ApplicationFailure);
  assert.equal(cause.cause.type, type);
  assert.equal((await handle.describe()).status.name, 'FAILED');
}

/** A gate a mocked activity waits at until the test opens it (open it in a `finally`, so no activity is left waiting). */
export function gate() {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
