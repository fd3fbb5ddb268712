// Building a worker: the workflow bundle, the activities with their dependencies, and the
// shared connection.
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { Logger } from '../config/logger';
import { createActivities, type ActivityDeps } from '../activities';
import { activeTracing } from '../tracing/tracing';
import { workerTracing } from '../tracing/worker-tracing';
import { workflowBundle } from './workflow-bundle';

export { workflowBundle } from './workflow-bundle';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  logger: Logger;
  identity?: string;
  /** Defaults to the in-process bundle; long-running workers pass a bundle file. */
  bundle?: WorkflowBundleOption;
  /** Defaults to the SDK's choice (from the heap limit). */
  maxCachedWorkflows?: number;
}

export async function createWorker(options: WorkerOptions): Promise<Worker> {
  const tracing = activeTracing();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    workflowBundle: options.bundle ?? (await workflowBundle(tracing !== undefined)),
    activities: createActivities(options.deps),
    ...(tracing ? workerTracing(tracing) : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
}
