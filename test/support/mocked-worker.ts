// Workflow tests with mocked activities, on the test's Temporal dev server: each test gets a
// worker of its own task queue running the real workflow bundle with the activities it passes, so
// the mocks decide what the workflow sees (Temporal's time-skipping test server would need a
// download this machine cannot make).
import { randomUUID } from 'node:crypto';
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
