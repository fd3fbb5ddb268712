// Running the worker until it is asked to stop (Worker.shutdown drains in-flight tasks).
import type { Worker } from '@temporalio/worker';
import type { AppConfig } from '../config/config';
import type { Logger } from '../config/logger';
import type { Services } from '../runtime/services';
import { registerSearchAttributes } from '../temporal/register-search-attributes';
import { createWorker } from './create-worker';
import { workflowBundleFile } from './workflow-bundle';
import { activeTracing } from '../tracing/tracing';

export interface RunningWorker {
  worker: Worker;
  /** Settles when the worker has stopped; rejects if it crashed. */
  done: Promise<void>;
}

export interface StartWorkerOptions {
  /** Bundle the workflows in a child process (for long-running workers; see workflow-bundle.ts). */
  bundleOutOfProcess?: boolean;
}

export async function startWorker(
  services: Services,
  config: AppConfig,
  logger: Logger,
  options: StartWorkerOptions = {},
): Promise<RunningWorker> {
  const connection = await services.temporal.connection();
  await registerSearchAttributes(connection, config.temporalNamespace);
  const worker = await createWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    logger,
    deps: {
      orm: services.orm,
      secretBox: services.secretBox,
      logger,
      levelRequestsPerMinute: config.levelRequestsPerMinute,
      levelHosts: config.levelHosts,
    },
    ...(options.bundleOutOfProcess ? { bundle: await workflowBundleFile(activeTracing() !== undefined) } : {}),
    maxCachedWorkflows: config.workerMaxCachedWorkflows,
  });
  const done = worker.run();
  return { worker, done };
}

/**
 * Stops the worker and waits for it to drain. The SDK's runtime also shuts workers down on
 * SIGINT/SIGTERM by itself, so a worker already draining is simply awaited.
 */
export async function stopWorker({ worker, done }: RunningWorker): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await done;
}
