// The worker process of the alerts benchmark's floor: serves bench/probe-workflow.ts on its own
// task queue (PROBE_TASK_QUEUE) against TEMPORAL_ADDRESS, so the probe stays out of the service's
// workflow bundle. Started by bench/alerts-stack.ts with the production worker's Node flags.
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

async function main(): Promise<void> {
  const address = process.env.TEMPORAL_ADDRESS;
  const taskQueue = process.env.PROBE_TASK_QUEUE;
  if (!address || !taskQueue) throw new Error('probe worker: TEMPORAL_ADDRESS and PROBE_TASK_QUEUE are required');
  // Quiet like the service's worker: the bundler's output and state changes are not the bench's.
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const connection = await NativeConnection.connect({ address });
  const worker = await Worker.create({ connection, taskQueue, workflowsPath: require.resolve('./probe-workflow') });
  const stop = () => worker.shutdown();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
